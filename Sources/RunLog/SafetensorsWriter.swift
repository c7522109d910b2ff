import Foundation

/// Writes the safetensors format (Hugging Face, https://huggingface.co/docs/safetensors): an 8-byte
/// little-endian header length N, N bytes of JSON — each tensor's `dtype`, `shape` and `data_offsets`
/// [begin, end) into the data block, plus an optional `__metadata__` object of strings — padded with spaces to
/// a multiple of 8, then the tensors' bytes, little-endian, C order, in the header's order.
public enum SafetensorsWriter {
    /// One float32 tensor.
    public struct Entry: Sendable {
        public var name: String
        public var shape: [Int]
        public var values: [Float]

        public init(name: String, shape: [Int], values: [Float]) {
            precondition(shape.reduce(1, *) == values.count, "values must fill the shape")
            self.name = name
            self.shape = shape
            self.values = values
        }
    }

    /// The file's bytes.
    public static func data(_ entries: [Entry], metadata: [(String, String)] = []) -> Data {
        var header = "{"
        if !metadata.isEmpty {
            header += "\"__metadata__\":{" + metadata.map { "\(quoted($0.0)):\(quoted($0.1))" }.joined(separator: ",") + "},"
        }
        var offset = 0
        header += entries.map { entry in
            let end = offset + 4 * entry.values.count
            defer { offset = end }
            return "\(quoted(entry.name)):{\"dtype\":\"F32\",\"shape\":[\(entry.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(end)]}"
        }.joined(separator: ",")
        header += "}"
        var headerBytes = Array(header.utf8)
        headerBytes += [UInt8](repeating: 0x20, count: (8 - headerBytes.count % 8) % 8)
        var bytes = Data()
        var length = UInt64(headerBytes.count).littleEndian
        withUnsafeBytes(of: &length) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: headerBytes)
        for entry in entries {
            entry.values.withUnsafeBufferPointer { bytes.append(UnsafeBufferPointer(start: UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: UInt8.self), count: $0.count * 4)) }
        }
        return bytes
    }

    public static func write(_ entries: [Entry], metadata: [(String, String)] = [], to path: String) throws(AtomicFile.WriteError) {
        try AtomicFile.write(data(entries, metadata: metadata), to: path)
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 { result += String(format: "\\u%04x", scalar.value) } else { result.unicodeScalars.append(scalar) }
            }
        }
        return result + "\""
    }
}
