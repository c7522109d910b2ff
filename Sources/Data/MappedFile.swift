import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file mapped read-only into memory (`mmap`, private): pages are read from the file when first touched and
/// the kernel may drop them again, so a data set larger than memory can be trained on. Unmapped when released.
///
/// The file must not be truncated while it is mapped (reading a page beyond its new end is SIGBUS on Linux);
/// a run notices a file whose contents changed between sessions by its fingerprint.
public final class MappedFile: @unchecked Sendable {
    public let path: String
    /// The first byte (nil for an empty file, which is not mapped).
    public let base: UnsafeRawPointer?
    public let size: Int

    /// Maps `path`; errors name the file and why.
    init(_ path: String) throws(DataError) {
        try DataFile.checkReadable(path)
        let descriptor = path.withCString { open($0, O_RDONLY) }
        guard descriptor >= 0 else { throw DataError(file: path, "cannot be read (\(String(cString: strerror(errno))))") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw DataError(file: path, "cannot be read (\(String(cString: strerror(errno))))") }
        self.path = path
        size = Int(status.st_size)
        guard size > 0 else {
            base = nil
            return
        }
        let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0)
        guard let address, address != MAP_FAILED else {
            throw DataError(file: path, "cannot be mapped into memory (\(String(cString: strerror(errno))))")
        }
        base = UnsafeRawPointer(address)
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), size) }
    }

    /// The whole file as bytes (empty for an empty file).
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: base == nil ? 0 : size) }
}
