import Foundation

/// Reads IDX files, the format of MNIST (`train-images-idx3-ubyte`, `train-labels-idx1-ubyte`): two zero bytes,
/// a byte giving the element type, a byte giving the number of dimensions, the sizes as big-endian 32-bit
/// integers, then the values big-endian. Sizes are checked against the file before anything is allocated.
public enum IDXReader {
    static let types: [UInt8: NumericElementType] = [0x08: .uint8, 0x09: .int8, 0x0B: .int16, 0x0C: .int32, 0x0D: .float32, 0x0E: .float64]

    /// Reads `path`. `options` can report progress and check the first rows before the rest is converted.
    public static func read(_ path: String, options: DataReadOptions = DataReadOptions()) throws(DataError) -> NumericArray {
        let data = try DataFile.map(path)
        let monitor = ReadMonitor(options)
        var result: Result<NumericArray, DataError>!
        data.withUnsafeBytes { bytes in
            do throws(DataError) {
                result = .success(try read(bytes, file: path, options: options, monitor: monitor))
            } catch {
                result = .failure(error)
            }
        }
        return try result.get()
    }

    /// Maps `path` and scans its values once without converting them (`data.source` npy/idx keeps a file in its
    /// stored type): the mapped file, where its values lie, and what the scan found. Errors as `read`'s.
    static func map(_ path: String, options: DataReadOptions = DataReadOptions()) throws(DataError) -> (MappedFile, BinaryArrayLocation, ArraySummary) {
        try BinaryConversion.map(path, options: options) { bytes, file throws(DataError) in try locate(bytes, file: file) }
    }

    static func read(_ bytes: UnsafeRawBufferPointer, file: String, options: DataReadOptions, monitor: ReadMonitor) throws(DataError) -> NumericArray {
        let location = try locate(bytes, file: file)
        return try BinaryConversion.convert(bytes.baseAddress! + location.offset, count: location.count, type: location.type, bigEndian: location.bigEndian,
                                            shape: location.shape, file: file, options: options, monitor: monitor)
    }

    /// The header read and checked against the file's size.
    static func locate(_ bytes: UnsafeRawBufferPointer, file: String) throws(DataError) -> BinaryArrayLocation {
        guard bytes.count >= 4, bytes[0] == 0, bytes[1] == 0 else {
            throw DataError(file: file, "is not an IDX file (its magic number does not start with two zero bytes)")
        }
        let typeCode = bytes[2], dimensions = Int(bytes[3])
        guard let type = types[typeCode] else {
            let hex = String(typeCode, radix: 16, uppercase: true)
            throw DataError(file: file, "has IDX element type 0x\(hex.count == 1 ? "0" + hex : hex); known: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64")
        }
        guard dimensions >= 1 else { throw DataError(file: file, "has no dimensions (the fourth byte of an IDX file is the number of dimensions, at least 1)") }
        let offset = 4 + 4 * dimensions
        guard bytes.count >= offset else {
            throw DataError(file: file, "is truncated inside its header (\(dimensions) dimensions need \(offset) bytes, the file has \(bytes.count))")
        }
        var shape: [Int] = []
        for dimension in 0..<dimensions {
            let at = 4 + 4 * dimension
            shape.append(Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3]))
        }
        let shapeText = ArrayShape.describe(shape)
        guard let count = ArrayShape.count(shape) else {
            throw DataError(file: file, "has the shape \(shapeText), more values than any file can hold")
        }
        let size = type.byteSize!
        let (needed, overflow) = count.multipliedReportingOverflow(by: size)
        guard !overflow else { throw DataError(file: file, "has the shape \(shapeText) of \(type), more bytes than any file can hold") }
        let available = bytes.count - offset
        guard available >= needed else {
            throw DataError(file: file, "is truncated: its shape \(shapeText) needs \(needed) bytes of \(type) data, the file has \(available)")
        }
        guard available == needed else {
            throw DataError(file: file, "has \(available - needed) bytes after the \(needed) bytes of \(type) data its shape \(shapeText) describes; the header does not match the data")
        }
        return BinaryArrayLocation(offset: offset, count: count, type: type, bigEndian: true, shape: shape)
    }
}
