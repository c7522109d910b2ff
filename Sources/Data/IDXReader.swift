import Foundation

/// Reads IDX files, the format of MNIST (`train-images-idx3-ubyte`, `train-labels-idx1-ubyte`): a magic number
/// giving the element type and the number of dimensions, big-endian 32-bit sizes, then the values big-endian.
public enum IDXReader {
    public static func read(_ path: String) throws(DataError) -> NumericArray {
        let data = try DataFile.map(path)
        guard data.count >= 4, data[data.startIndex] == 0, data[data.startIndex + 1] == 0 else {
            throw DataError(file: path, "is not an IDX file (its magic number does not start with two zero bytes)")
        }
        let typeCode = data[data.startIndex + 2], dimensions = Int(data[data.startIndex + 3])
        let types: [UInt8: (Int, String)] = [0x08: (1, "uint8"), 0x09: (1, "int8"), 0x0B: (2, "int16"), 0x0C: (4, "int32"), 0x0D: (4, "float32"), 0x0E: (8, "float64")]
        guard let (size, name) = types[typeCode] else {
            throw DataError(file: path, "has IDX element type 0x\(String(typeCode, radix: 16)); known: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64")
        }
        guard dimensions >= 1, data.count >= 4 + 4 * dimensions else { throw DataError(file: path, "is truncated inside its header") }
        let bytes = data  // memory-mapped; indexed in place
        var shape: [Int] = []
        for d in 0..<dimensions {
            let o = 4 + 4 * d
            let b = bytes.startIndex + o
            shape.append(Int(bytes[b]) << 24 | Int(bytes[b + 1]) << 16 | Int(bytes[b + 2]) << 8 | Int(bytes[b + 3]))
        }
        let count = shape.reduce(1, *), offset = 4 + 4 * dimensions
        guard bytes.count - offset >= count * size else {
            throw DataError(file: path, "is truncated: its shape \(shape) needs \(count * size) bytes of \(name) data, the file has \(bytes.count - offset)")
        }
        var values = [Float](repeating: 0, count: count)
        for i in 0..<count {
            let o = offset + i * size
            var word: UInt64 = 0
            for b in 0..<size { word = word << 8 | UInt64(bytes[bytes.startIndex + o + b]) }
            switch name {
            case "uint8": values[i] = Float(word)
            case "int8": values[i] = Float(Int8(truncatingIfNeeded: word))
            case "int16": values[i] = Float(Int16(truncatingIfNeeded: word))
            case "int32": values[i] = Float(Int32(truncatingIfNeeded: word))
            case "float32": values[i] = Float(bitPattern: UInt32(truncatingIfNeeded: word))
            default: values[i] = Float(Double(bitPattern: word))
            }
        }
        return NumericArray(values: values, shape: shape, elementType: name)
    }
}
