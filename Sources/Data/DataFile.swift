import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Opening data files with errors that say which file and why.
enum DataFile {
    /// The file's bytes, memory-mapped (only the pages that are read are loaded).
    static func map(_ path: String) throws(DataError) -> Data {
        try checkReadable(path)
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw DataError(file: path, "cannot be read")
        }
    }

    /// The file opened for reading in pieces (`OpenFile.read`), with its size.
    static func open(_ path: String) throws(DataError) -> OpenFile {
        try checkReadable(path)
        let descriptor = path.withCString { Foundation.open($0, O_RDONLY) }
        guard descriptor >= 0 else { throw DataError(file: path, "cannot be read (\(String(cString: strerror(errno))))") }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            close(descriptor)
            throw DataError(file: path, "cannot be read (\(String(cString: strerror(errno))))")
        }
        return OpenFile(path: path, descriptor: descriptor, size: Int(status.st_size))
    }

    /// Throws "no such file" or "is a directory" for paths that cannot be a data file.
    static func checkReadable(_ path: String) throws(DataError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw DataError(file: path, "no such file") }
        guard !isDirectory.boolValue else { throw DataError(file: path, "is a directory, not a data file") }
    }
}

/// A file open for reading at any offset, from any thread (`pread`); closed when released.
final class OpenFile: @unchecked Sendable {
    let path: String
    let descriptor: Int32
    /// Bytes in the file when it was opened.
    let size: Int

    init(path: String, descriptor: Int32, size: Int) {
        self.path = path
        self.descriptor = descriptor
        self.size = size
    }

    deinit { close(descriptor) }

    /// Up to `count` bytes at `offset`; fewer only at the end of the file.
    func read(_ count: Int, at offset: Int) throws(DataError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: max(0, count))
        var failure: DataError?
        let got = bytes.withUnsafeMutableBytes { raw -> Int in
            guard let base = raw.baseAddress else { return 0 }
            do throws(DataError) {
                return try read(into: base, count: raw.count, at: offset)
            } catch {
                failure = error
                return 0
            }
        }
        if let failure { throw failure }
        bytes.removeLast(bytes.count - got)
        return bytes
    }

    /// Reads up to `count` bytes at `offset` into `buffer`; fewer only at the end of the file.
    func read(into buffer: UnsafeMutableRawPointer, count: Int, at offset: Int) throws(DataError) -> Int {
        var done = 0
        while done < count {
            let result = pread(descriptor, buffer + done, count - done, off_t(offset + done))
            if result < 0 {
                if errno == EINTR { continue }
                throw DataError(file: path, "cannot be read (\(String(cString: strerror(errno))))")
            }
            if result == 0 { break }
            done += result
        }
        return done
    }
}
