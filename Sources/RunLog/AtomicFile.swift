import Foundation

/// Writes files whole or not at all (ARCHITECTURE.md, principle 8): the bytes go to a temporary file in the
/// same directory, which is then renamed over the destination, so a reader or a killed run never sees half
/// a file.
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

    public static func write(_ data: Data, to path: String) throws(WriteError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw WriteError(path: path, reason: "the directory \(directory) does not exist")
        }
        guard isDirectory.boolValue else { throw WriteError(path: path, reason: "\(directory) is a file, not a folder") }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw WriteError(path: path, reason: "it is a directory")
        }
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try data.write(to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw WriteError(path: path, reason: Self.reason(error))
        }
        // The bytes reach the disk before the rename makes them the file, and the rename reaches it before the
        // write returns: after a power cut the file is the old one or the new one, whatever the file system
        // orders (ext4 with data=writeback, XFS), not a renamed empty file.
        if let code = Self.synchronize(temporary.path) {
            try? FileManager.default.removeItem(at: temporary)
            throw WriteError(path: path, reason: String(cString: strerror(code)))
        }
        if rename(temporary.path, path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw WriteError(path: path, reason: String(cString: strerror(code)))
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
