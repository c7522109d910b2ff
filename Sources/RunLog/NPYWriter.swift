import Foundation

/// Writes NumPy `.npy` files (format 1.0): little-endian float32 or int32, C order, written atomically, so
/// `numpy.load` reads what anneal produces (samples, exported arrays).
public enum NPYWriter {
    /// The element types written.
    public enum Element: String, Sendable {
        case float32 = "<f4"
        case int32 = "<i4"
        case uint8 = "|u1"
    }

    /// The bytes of an array of `shape` holding `values` (as float32).
    public static func data(_ values: [Float], shape: [Int]) -> Data {
        var bytes = header(shape: shape, element: .float32)
        values.withUnsafeBufferPointer { bytes.append(UnsafeBufferPointer(start: UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: UInt8.self), count: $0.count * 4)) }
        return bytes
    }

    /// The bytes of an array of `shape` holding `values` (as int32).
    public static func data(_ values: [Int32], shape: [Int]) -> Data {
        var bytes = header(shape: shape, element: .int32)
        values.withUnsafeBufferPointer { bytes.append(UnsafeBufferPointer(start: UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: UInt8.self), count: $0.count * 4)) }
        return bytes
    }

    /// The bytes of a one-dimensional uint8 array holding `values`.
    public static func data(_ values: [UInt8]) -> Data {
        var bytes = header(shape: [values.count], element: .uint8)
        bytes.append(contentsOf: values)
        return bytes
    }

    public static func write(_ values: [Float], shape: [Int], to path: String) throws(AtomicFile.WriteError) {
        precondition(values.count == shape.reduce(1, *), "values must fill the shape")
        try AtomicFile.write(data(values, shape: shape), to: path)
    }

    public static func write(_ values: [Int32], shape: [Int], to path: String) throws(AtomicFile.WriteError) {
        precondition(values.count == shape.reduce(1, *), "values must fill the shape")
        try AtomicFile.write(data(values, shape: shape), to: path)
    }

    /// The magic, version 1.0, and the header dict padded with spaces to a multiple of 64 bytes, ending in a
    /// newline, as NumPy writes it.
    static func header(shape: [Int], element: Element) -> Data {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var dictionary = "{'descr': '\(element.rawValue)', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = 10 + dictionary.utf8.count + 1
        dictionary += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var bytes = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(dictionary.utf8.count)
        bytes.append(UInt8(length & 0xFF))
        bytes.append(UInt8(length >> 8))
        bytes.append(contentsOf: Array(dictionary.utf8))
        return bytes
    }
}
