import Foundation

/// Reads NumPy `.npy` files (format versions 1.0, 2.0 and 3.0): little-endian bool, uint8–uint64, int8–int64,
/// float32 and float64 in C order, any number of dimensions (everything after the first is flattened into
/// features). The file is memory-mapped and converted to single precision in one pass; the element type and
/// the range of the values are kept in the result.
///
/// Every size is checked against the file before anything is allocated: a header whose shape is negative,
/// overflows, or needs more or fewer bytes than the file has is an error naming the file, never a crash.
public enum NPYReader {
    /// The element types by the type strings NumPy writes (`numpy.dtype(...).str`).
    static let types: [String: NumericElementType] = [
        "|b1": .bool, "<b1": .bool,
        "|u1": .uint8, "<u1": .uint8, "<u2": .uint16, "<u4": .uint32, "<u8": .uint64,
        "|i1": .int8, "<i1": .int8, "<i2": .int16, "<i4": .int32, "<i8": .int64,
        "<f4": .float32, "<f8": .float64,
    ]

    /// The type names in messages.
    static let supported = "bool, uint8, uint16, uint32, uint64, int8, int16, int32, int64, float32, float64"

    /// Reads `path`. `options` can report progress and check the first rows before the rest is converted.
    /// Errors name the file and say what is wrong: not a .npy file, a malformed header, an unsupported type,
    /// a shape that does not match the file's size.
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
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1...5]) == Array("NUMPY".utf8) else {
            throw DataError(file: file, "is not a .npy file (it does not start with \\x93NUMPY)")
        }
        let major = bytes[6], minor = bytes[7]
        let headerLength: Int, headerStart: Int
        switch (major, minor) {
        case (1, 0):
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case (2, 0), (3, 0):
            guard bytes.count >= 12 else { throw DataError(file: file, "is truncated inside its header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw DataError(file: file, "uses .npy format version \(major).\(minor); this reader knows versions 1.0, 2.0 and 3.0")
        }
        guard headerLength <= bytes.count - headerStart else {
            throw DataError(file: file, "is truncated inside its header (the header says it is \(headerLength) bytes, \(bytes.count - headerStart) follow)")
        }
        let header: NPYHeader
        do {
            header = try NPYHeader.parse(UnsafeRawBufferPointer(rebasing: bytes[headerStart..<(headerStart + headerLength)]), allowLongSuffix: major < 3)
        } catch {
            throw DataError(file: file, "has a malformed .npy header: \(error.message)")
        }
        guard let type = types[header.descr] else {
            let descr = DisplayText.quoted(header.descr)
            if header.descr.hasPrefix(">"), types["<" + header.descr.dropFirst()] != nil {
                throw DataError(file: file, "holds big-endian values (\(descr)); save them little-endian with array.astype(array.dtype.newbyteorder('<')); supported: \(supported)")
            }
            throw DataError(file: file, "has element type \(descr); supported: \(supported) (convert with array.astype(numpy.float32))")
        }
        let shape = header.shape
        if header.fortranOrder, shape.filter({ $0 > 1 }).count > 1 {
            throw DataError(file: file, "is stored in Fortran order; save it with numpy.ascontiguousarray first")
        }
        let shapeText = ArrayShape.describe(shape)
        guard let count = ArrayShape.count(shape) else {
            throw DataError(file: file, "has the shape \(shapeText), more values than any file can hold")
        }
        let size = type.byteSize!
        let (needed, overflow) = count.multipliedReportingOverflow(by: size)
        guard !overflow else { throw DataError(file: file, "has the shape \(shapeText) of \(type), more bytes than any file can hold") }
        let offset = headerStart + headerLength
        let available = bytes.count - offset
        guard available >= needed else {
            throw DataError(file: file, "is truncated: its shape \(shapeText) needs \(needed) bytes of \(type) data, the file has \(available)")
        }
        guard available == needed else {
            throw DataError(file: file, "has \(available - needed) bytes after the \(needed) bytes of \(type) data its shape \(shapeText) describes; the header does not match the data")
        }
        return BinaryArrayLocation(offset: offset, count: count, type: type, bigEndian: false, shape: shape.isEmpty ? [1] : shape)
    }
}
