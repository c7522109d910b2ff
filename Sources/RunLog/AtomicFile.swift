import Foundation
#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

/// Writes files whole or not at all (ARCHITECTURE.md, principle 8): the bytes go to a temporary file in the
/// same directory, which is then renamed over the destination, so a reader or a killed run never sees half
/// a file. Only a regular file (or nothing) is ever replaced: devices and pipes are written through, symbolic
/// links are followed, and anything else is refused (`write(_:to:)`).
public enum AtomicFile {
    /// A write that failed, with the path and the reason in words.
    public struct WriteError: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var reason: String
        public var description: String { "cannot write \(path): \(reason)" }

        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    public static func write(_ text: String, to path: String) throws(WriteError) {
        try write(Data(text.utf8), to: path)
    }

    /// Writes `data` to `path` without ever replacing what is not a regular file:
    ///
    /// - a missing path or a regular file: written to a temporary file beside it, flushed, and renamed over it;
    /// - a symbolic link: followed (through every link in a chain), and the file it points to is written by
    ///   these same rules; the link itself stays. A link to nowhere is an error, not a new file;
    /// - a character device (`/dev/null`, `/dev/stdout`, a terminal) or a named pipe: written through, in
    ///   place, as a shell's `>` would (a device is never turned into a regular file);
    /// - a folder, a block device or a socket: an error naming the path, and nothing is written.
    public static func write(_ data: Data, to path: String) throws(WriteError) {
        let target = try destination(path)
        switch target.kind {
        case .writeThrough: try writeThrough(data, to: target.path, named: path)
        case .replace: try replace(data, at: target.path, named: path)
        }
    }

    /// Whether `path` (after its links) is an existing character device or named pipe, which `write` writes
    /// through: such a destination takes any bytes, whatever its name (`/dev/null` for a format named by
    /// extension).
    public static func isSpecialFile(_ path: String) -> Bool {
        guard let target = try? destination(path) else { return false }
        return target.kind == .writeThrough
    }

    /// How a destination is written.
    enum DestinationKind { case replace, writeThrough }

    /// The path to write (the end of a symbolic link chain) and how; an error for a destination anneal must not
    /// write (a folder, a block device, a socket, a link to nowhere or a loop of links).
    static func destination(_ path: String) throws(WriteError) -> (path: String, kind: DestinationKind) {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0 else {
                let code = errno
                if code == ENOENT || code == ENOTDIR {
                    if current != path { throw WriteError(path: path, reason: "it is a symbolic link to \(current), which does not exist (anneal follows links but does not create their targets)") }
                    return (current, .replace)
                }
                throw WriteError(path: path, reason: String(cString: strerror(code)))
            }
            switch info.st_mode & S_IFMT {
            case S_IFREG: return (current, .replace)
            case S_IFCHR, S_IFIFO: return (current, .writeThrough)
            case S_IFDIR: throw WriteError(path: path, reason: current == path ? "it is a directory" : "it is a symbolic link to the directory \(current)")
            case S_IFBLK: throw WriteError(path: path, reason: "it is a block device; anneal writes only regular files, character devices and pipes")
            case S_IFSOCK: throw WriteError(path: path, reason: "it is a socket; anneal writes only regular files, character devices and pipes")
            case S_IFLNK:
                var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
                let length = readlink(current, &buffer, buffer.count - 1)
                guard length >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
                let link = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                current = link.hasPrefix("/") ? link : URL(fileURLWithPath: current).deletingLastPathComponent().appendingPathComponent(link).path
            default:
                throw WriteError(path: path, reason: "it is not a regular file")
            }
        }
        throw WriteError(path: path, reason: "too many levels of symbolic links")
    }

    /// Writes into an existing character device or named pipe, as `>` does: no temporary file, no rename.
    static func writeThrough(_ data: Data, to path: String, named: String) throws(WriteError) {
        let descriptor = open(path, O_WRONLY | O_NOCTTY)
        guard descriptor >= 0 else { throw WriteError(path: named, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        try writeAll(data, to: descriptor, named: named)
    }

    /// Every byte of `data` to the open descriptor, retrying short and interrupted writes.
    public static func writeAll(_ data: Data, to descriptor: Int32, named: String) throws(WriteError) {
        var failure: Int32?
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < bytes.count {
                let written = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        if let failure { throw WriteError(path: named, reason: String(cString: strerror(failure))) }
    }

    /// The atomic write: a temporary file in the destination's folder, flushed, renamed over `path`.
    static func replace(_ data: Data, at path: String, named: String) throws(WriteError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw WriteError(path: named, reason: "the directory \(directory) does not exist")
        }
        guard isDirectory.boolValue else { throw WriteError(path: named, reason: "\(directory) is a file, not a folder") }
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try data.write(to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw WriteError(path: named, reason: Self.reason(error))
        }
        // The bytes reach the disk before the rename makes them the file, and the rename reaches it before the
        // write returns: after a power cut the file is the old one or the new one, whatever the file system
        // orders (ext4 with data=writeback, XFS), not a renamed empty file.
        if let code = Self.synchronize(temporary.path) {
            try? FileManager.default.removeItem(at: temporary)
            throw WriteError(path: named, reason: String(cString: strerror(code)))
        }
        if rename(temporary.path, path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw WriteError(path: named, reason: String(cString: strerror(code)))
        }
        _ = Self.synchronize(directory)
    }

    /// fsync(2) of the file or directory at `path`; the errno of a failure, or nil.
    static func synchronize(_ path: String) -> Int32? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return errno }
        defer { close(descriptor) }
        // EINVAL: a file system that cannot sync this kind of file (some special files); nothing to wait for.
        if fsync(descriptor) != 0, errno != EINVAL { return errno }
        return nil
    }

    /// Creates the directory `path` and any missing parents; a failure names the path and says why in words
    /// (a parent that is a file, no permission, a read-only or full disk) instead of a Foundation error code.
    public static func createDirectory(_ path: String) throws(WriteError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { return }
            throw WriteError(path: path, reason: "it is a file, not a folder")
        }
        // The nearest ancestor that exists decides what can go wrong.
        var ancestor = URL(fileURLWithPath: path).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isDirectory) && ancestor.path != "/" {
            ancestor = ancestor.deletingLastPathComponent()
        }
        if !isDirectory.boolValue {
            throw WriteError(path: path, reason: "\(ancestor.path) is a file, not a folder")
        }
        if access(ancestor.path, W_OK) != 0 {
            throw WriteError(path: path, reason: "no permission to create anything in \(ancestor.path)")
        }
        if mkdir(path, 0o777) == 0 { return }
        let code = errno
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if code == ENOENT, ancestor.path == parent {
            // The parent exists and still refuses (a special file system such as /proc).
            throw WriteError(path: path, reason: "\(parent) does not accept new folders (\(String(cString: strerror(code))))")
        }
        if code == ENOENT {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                return
            } catch {
                throw WriteError(path: path, reason: "cannot create it inside \(ancestor.path): \(Self.reason(error))")
            }
        }
        if code == EEXIST { return }
        throw WriteError(path: path, reason: String(cString: strerror(code)))
    }

    /// A file error's reason in words: the system's (`No space left on device`) when Foundation gives one.
    public static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        // The POSIX cause (ENOSPC, EROFS, …). On Linux Foundation stores it as a Swift `POSIXError`, which
        // `as? NSError` does not match: cast to `any Error` first, then bridge.
        if let cause = nsError.userInfo[NSUnderlyingErrorKey] as? any Error {
            let underlying = cause as NSError
            if underlying.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(underlying.code))) }
        }
        return nsError.localizedDescription
    }
}
