import Foundation

/// Reads NumPy `.npy` files (format versions 1–3): little-endian float32, float64, uint8, int8, int16, int32,
/// int64 and bool, C order, any number of dimensions (everything after the first is flattened into features).
/// The file is memory-mapped, so only the values are copied.
public enum NPYReader {
    static let types: [String: (size: Int, name: String)] = [
        "<f4": (4, "float32"), "<f8": (8, "float64"), "|u1": (1, "uint8"), "<u1": (1, "uint8"), "|i1": (1, "int8"),
        "<i2": (2, "int16"), "<i4": (4, "int32"), "<i8": (8, "int64"), "|b1": (1, "bool"),
    ]

    public static func read(_ path: String) throws(DataError) -> NumericArray {
        let data = try DataFile.map(path)
        let bytes = [UInt8](data.prefix(12))
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1...5]) == Array("NUMPY".utf8) else {
            throw DataError(file: path, "is not a .npy file (it does not start with \\x93NUMPY)")
        }
        let major = bytes[6]
        let headerLength: Int, headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw DataError(file: path, "is truncated inside its header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw DataError(file: path, "uses .npy format version \(major), which this reader does not know (versions 1–3)")
        }
        guard data.count >= headerStart + headerLength else { throw DataError(file: path, "is truncated inside its header") }
        let header = String(decoding: data[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        guard let descr = field("descr", in: header).map({ $0.trimmingCharacters(in: CharacterSet(charactersIn: "'\" ")) }) else {
            throw DataError(file: path, "has no 'descr' in its header")
        }
        guard let type = types[descr] else {
            let hint = descr.hasPrefix(">") ? " (big-endian; save it little-endian)" : ""
            throw DataError(file: path, "has element type '\(descr)'\(hint); supported: float32, float64, uint8, int8, int16, int32, int64, bool")
        }
        if field("fortran_order", in: header)?.contains("True") == true {
            throw DataError(file: path, "is stored in Fortran order; save it with numpy.ascontiguousarray first")
        }
        guard let shapeText = field("shape", in: header) else { throw DataError(file: path, "has no 'shape' in its header") }
        let shape = shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "() ")).split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.compactMap { Int($0) }
        let count = shape.reduce(1, *)
        let offset = headerStart + headerLength
        let available = data.count - offset
        guard available >= count * type.size else {
            throw DataError(file: path, "is truncated: its shape \(shape) needs \(count * type.size) bytes of \(type.name) data, the file has \(available)")
        }
        var values = [Float](repeating: 0, count: count)
        data.withUnsafeBytes { raw in
            let base = raw.baseAddress! + offset
            for i in 0..<count {
                let p = base + i * type.size
                switch type.name {
                case "float32": values[i] = Float(bitPattern: UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)))
                case "float64": values[i] = Float(Double(bitPattern: UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))))
                case "uint8", "bool": values[i] = Float(p.load(as: UInt8.self))
                case "int8": values[i] = Float(p.load(as: Int8.self))
                case "int16": values[i] = Float(Int16(littleEndian: p.loadUnaligned(as: Int16.self)))
                case "int32": values[i] = Float(Int32(littleEndian: p.loadUnaligned(as: Int32.self)))
                default: values[i] = Float(Int64(littleEndian: p.loadUnaligned(as: Int64.self)))
                }
            }
        }
        return NumericArray(values: values, shape: shape.isEmpty ? [1] : shape, elementType: type.name)
    }

    /// The text after `'key':` up to the next top-level comma.
    static func field(_ key: String, in header: String) -> String? {
        guard let range = header.range(of: "'\(key)':") else { return nil }
        var depth = 0
        var result = ""
        for character in header[range.upperBound...] {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if (character == "," && depth == 0) || character == "}" { break }
            result.append(character)
        }
        return result.trimmingCharacters(in: .whitespaces)
    }
}
