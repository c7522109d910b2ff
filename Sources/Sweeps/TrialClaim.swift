import Foundation
import JSONConfig

/// The right to run one trial: an exclusive `flock` on `OUT/trials/<id>/claim.lock`, taken without waiting.
///
/// The lock belongs to the open file, not the process: the runner passes the descriptor to the `anneal train`
/// child it starts, so the trial stays claimed while either lives. A runner killed with SIGKILL (a replaced
/// pod, a cancelled Slurm task, `kill -9`) leaves its child training and holding the claim; the kernel frees
/// the lock the moment the last holder exits, so nothing stale is ever left behind and no timeout is needed.
/// Two processes given the same shard therefore never run one trial twice: the second finds the trial
/// claimed, runs the others, and then waits for it. The file is never deleted (deleting a lock file races
/// with a process about to lock it); it holds the holder's host, process and start time, for people.
///
/// On a shared file system the lock must reach every host: NFSv4 and Lustre (mounted with `flock`) do, and so
/// do the ReadWriteMany volumes of Kubernetes that are NFS-backed. Where `flock` is not supported at all
/// (ENOLCK, EOPNOTSUPP) the claim is granted with `lockingUnsupported` set, and the run folder's own lock
/// (`run.lock`, which `anneal train` takes) is the remaining guard against two writers.
public final class TrialClaim {
    public let path: String
    /// The locked descriptor (close-on-exec; the runner maps it into the child explicitly).
    public private(set) var descriptor: Int32
    /// Whether the file system refused `flock`, so the claim is not exclusive.
    public let lockingUnsupported: Bool

    public enum Attempt {
        case claimed(TrialClaim)
        /// Another process holds the claim; `holder` is its record, when readable.
        case busy(holder: String?)
    }

    init(path: String, descriptor: Int32, lockingUnsupported: Bool) {
        self.path = path
        self.descriptor = descriptor
        self.lockingUnsupported = lockingUnsupported
    }

    /// Tries to claim the trial whose claim file is `path` (its folder must exist).
    public static func attempt(_ path: String, note: String) throws(SweepError) -> Attempt {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw SweepError("cannot open \(path) to claim the trial: \(String(cString: strerror(errno)))")
        }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EWOULDBLOCK || code == EAGAIN || code == EINTR {
                close(descriptor)
                return .busy(holder: holder(path))
            }
            if code == ENOLCK || code == EOPNOTSUPP || code == ENOSYS {
                let claim = TrialClaim(path: path, descriptor: descriptor, lockingUnsupported: true)
                claim.writeHolder(note)
                return .claimed(claim)
            }
            close(descriptor)
            throw SweepError("cannot lock \(path): \(String(cString: strerror(code)))")
        }
        let claim = TrialClaim(path: path, descriptor: descriptor, lockingUnsupported: false)
        claim.writeHolder(note)
        return .claimed(claim)
    }

    /// Whether some process holds the claim at `path` now (a shared lock is tried and dropped at once).
    public static func isHeld(_ path: String) -> Bool {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_SH | LOCK_NB) != 0 { return errno == EWOULDBLOCK || errno == EAGAIN }
        _ = flock(descriptor, LOCK_UN)
        return false
    }

    /// The holder's record (`host 12345 since 2026-…: shard 1/4`), if any.
    public static func holder(_ path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8), let value = try? JSONParser.parse(text),
              case .string(let host)? = value["host"]?.kind, case .number(let pid, _)? = value["pid"]?.kind else { return nil }
        var text2 = "process \(Int(pid)) on \(host)"
        if case .string(let since)? = value["since"]?.kind { text2 += " since \(since)" }
        if case .string(let note)? = value["note"]?.kind, !note.isEmpty { text2 += " (\(note))" }
        return text2
    }

    private func writeHolder(_ note: String) {
        let formatter = ISO8601DateFormatter()
        let text = JSONWriter.compact(.object([("host", .string(ProcessInfo.processInfo.hostName)), ("pid", .number(Int(getpid()))),
                                               ("since", .string(formatter.string(from: Date()))), ("note", .string(note))])) + "\n"
        _ = ftruncate(descriptor, 0)
        _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    /// Gives the claim up (idempotent). A child that inherited the lock keeps it until it exits.
    public func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
