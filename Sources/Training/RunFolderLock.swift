import Foundation
import JSONConfig
import RunLog

/// The lock that keeps two trainings out of one run folder: `run.lock`, created exclusively, naming the owner
/// (host, process, start time), held with `flock` while the owner lives and refreshed as it trains.
///
/// A second `anneal train` on the folder is refused with the owner's name. A lock left by a killed run is
/// taken over: on the same host when its process is gone, from another host (a shared file system) when it
/// has not been refreshed for `staleAfter` seconds; either take-over is reported. `release()` (or the end of
/// the process) frees it.
public final class RunFolderLock {
    public let path: String
    /// Set when an old lock was taken over, saying whose.
    public private(set) var tookOver: String?
    private var descriptor: Int32 = -1
    private var lastRefresh = Date()

    /// A lock not refreshed for this long, held on another host, is taken to be left by a dead run.
    public static let staleAfter: TimeInterval = 600

    public static func hostName() -> String { ProcessInfo.processInfo.hostName }

    /// Acquires the lock of `directory` (which must exist).
    public init(directory: String) throws(TrainingError) {
        path = directory + "/run.lock"
        for _ in 0..<3 {
            if try create(directory) { return }
            // Someone's lock. Locking it tells whether its owner still holds it; holding it, this process is the only
            // one deciding about it, and takes it over in place: deleting it and making a new one let two processes
            // taking over the same dead lock delete each other's new lock and both train.
            let existing = open(path, O_RDWR)
            guard existing >= 0 else { continue }  // released in between: try again
            if flock(existing, LOCK_EX | LOCK_NB) != 0 {
                close(existing)
                let owner = Self.owner(path)
                if let owner, owner.host == Self.hostName(), !Self.processIsRunning(owner.pid) {
                    throw TrainingError("\(directory) is in use by another anneal train, which is taking over \(path), left by process \(owner.pid) on \(owner.host)")
                }
                throw TrainingError(Self.inUse(directory, owner))
            }
            var opened = stat(), current = stat()
            guard fstat(existing, &opened) == 0, stat(path, &current) == 0, opened.st_ino == current.st_ino, opened.st_dev == current.st_dev else {
                close(existing)
                continue  // released or replaced in between: try again
            }
            let owner = Self.owner(path)
            let age = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date).map { Date().timeIntervalSince($0) } ?? .infinity
            if let owner, owner.host == Self.hostName() {
                if Self.processIsRunning(owner.pid) {
                    // Alive (on a file system without flock): still in use. A killed owner that its parent has not
                    // reaped yet (a zombie) is not: it holds no lock and will never write again.
                    close(existing)
                    throw TrainingError(Self.inUse(directory, owner))
                }
            } else if let owner, age < Self.staleAfter {
                close(existing)
                throw TrainingError(Self.inUse(directory, owner) + "; if that run is gone, delete \(path) (a lock from another host is taken over after \(Int(Self.staleAfter / 60)) minutes without a refresh)")
            }
            tookOver = owner.map { "process \($0.pid) on \($0.host), started \($0.started)" } ?? "an unreadable lock"
            descriptor = existing
            writeOwner()
            return
        }
        throw TrainingError("cannot lock \(directory): \(path) keeps reappearing; another process is starting in this folder")
    }

    deinit { release() }

    /// Creates `run.lock` already locked and naming its owner: written under a temporary name, locked, then
    /// linked into place (`link`, like `O_EXCL`, fails when the lock exists). A lock created empty and locked
    /// afterwards let a second process, in between, find it unlocked with no owner, take it over and train in
    /// the same folder. False when a lock exists. File systems without hard links fall back to `O_EXCL`.
    private func create(_ directory: String) throws(TrainingError) -> Bool {
        let temporary = directory + "/.run.lock.\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp"
        let fd = open(temporary, O_CREAT | O_EXCL | O_RDWR, 0o644)
        guard fd >= 0 else {
            throw TrainingError("cannot lock \(directory) (writing \(temporary)): \(String(cString: strerror(errno)))")
        }
        _ = flock(fd, LOCK_EX | LOCK_NB)
        descriptor = fd
        writeOwner()
        let linked = link(temporary, path) == 0
        let code = errno
        unlink(temporary)
        if linked { return true }
        close(fd)
        descriptor = -1
        switch code {
        case EEXIST: return false
        case ENOENT: return false  // the temporary file was removed as stale by the lock's holder: the folder is in use
        case EPERM, EOPNOTSUPP, ENOSYS:
            // No hard links here: create the lock exclusively, then lock and fill it in.
            let fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0o644)
            if fd >= 0 {
                descriptor = fd
                _ = flock(fd, LOCK_EX | LOCK_NB)
                writeOwner()
                return true
            }
            if errno == EEXIST { return false }
            throw TrainingError("cannot lock \(directory) (writing \(path)): \(String(cString: strerror(errno)))")
        default:
            throw TrainingError("cannot lock \(directory) (writing \(path)): \(String(cString: strerror(code)))")
        }
    }

    /// Rewrites the owner record (and so the modification time) when `minimumInterval` has passed.
    public func refresh(minimumInterval: TimeInterval = 60) {
        guard descriptor >= 0, Date().timeIntervalSince(lastRefresh) >= minimumInterval else { return }
        writeOwner()
    }

    /// Frees the lock (idempotent).
    public func release() {
        guard descriptor >= 0 else { return }
        unlink(path)
        close(descriptor)
        descriptor = -1
    }

    private func writeOwner() {
        lastRefresh = Date()
        let formatter = ISO8601DateFormatter()
        let text = JSONWriter.compact(.object([("host", .string(Self.hostName())), ("pid", .number(Double(getpid()))),
                                               ("started", .string(formatter.string(from: Date()))),
                                               ("command", .string(CommandLine.arguments.joined(separator: " ")))])) + "\n"
        // Written over the old record, then cut to length: a reader never finds the lock empty.
        let length = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        if length >= 0 { _ = ftruncate(descriptor, off_t(length)) }
    }

    /// Whether process `pid` on this host is running: it exists and, where /proc tells, is not a zombie (a
    /// process killed but not yet reaped by its parent, which `kill(pid, 0)` still reports).
    public static func processIsRunning(_ pid: Int32) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        #if os(Linux)
        // /proc/<pid>/stat: "pid (command) S …"; the state follows the last ')' (a command may hold one).
        if let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = text.lastIndex(of: ")") {
            let state = text[text.index(after: close)...].drop { $0 == " " }.first
            if state == "Z" || state == "X" { return false }
        }
        #endif
        return true
    }

    /// What a run folder's lock says of the training that holds it.
    public enum Holder: Equatable, Sendable {
        /// No lock: no training holds the folder.
        case none
        /// A live process on this host, or a lock on another host refreshed within `staleAfter`.
        case running(String)
        /// The lock's process is gone (killed, or the machine stopped): the run stopped without a clean exit.
        case gone(String)
    }

    /// The holder of `directory`'s lock, read without taking it (`.none` when it is this process).
    public static func holder(of directory: String) -> Holder {
        let path = directory + "/run.lock"
        guard FileManager.default.fileExists(atPath: path) else { return .none }
        guard let owner = owner(path) else { return .gone("its lock cannot be read") }
        if owner.host == hostName() {
            // This process holds it: the training writing its own report as it ends, which summary.json describes.
            if owner.pid == getpid() { return .none }
            return processIsRunning(owner.pid) ? .running("process \(owner.pid)") : .gone("process \(owner.pid) is gone")
        }
        let age = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date).map { Date().timeIntervalSince($0) } ?? .infinity
        return age < staleAfter ? .running("process \(owner.pid) on \(owner.host)")
            : .gone("process \(owner.pid) on \(owner.host) has not refreshed its lock for \(Int(age / 60)) minutes")
    }

    struct Owner {
        var host: String
        var pid: Int32
        var started: String
        var command: String
    }

    static func owner(_ path: String) -> Owner? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8), let value = try? JSONParser.parse(text),
              case .string(let host)? = value["host"]?.kind, case .number(let pid, _)? = value["pid"]?.kind else { return nil }
        var started = "", command = ""
        if case .string(let text)? = value["started"]?.kind { started = text }
        if case .string(let text)? = value["command"]?.kind { command = text }
        return Owner(host: host, pid: Int32(clamping: Int(saturating: pid)), started: started, command: command)
    }

    static func inUse(_ directory: String, _ owner: Owner?) -> String {
        guard let owner else { return "\(directory) is in use by another anneal train (its lock \(directory)/run.lock cannot be read)" }
        return "\(directory) is in use by another anneal train: process \(owner.pid) on \(owner.host), started \(owner.started) (\(owner.command))"
    }
}
