import Foundation
import JSONConfig

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
        var members: [(String, JSONValue)] = []
        if !metadata.isEmpty { members.append(("__metadata__", .object(metadata.map { ($0.0, .string($0.1)) }))) }
        var offset = 0
        for entry in entries {
            let end = offset + 4 * entry.values.count
            members.append((entry.name, .object([("dtype", .string("F32")), ("shape", .array(entry.shape.map { .number($0) })),
                                                 ("data_offsets", .array([.number(offset), .number(end)]))])))
            offset = end
        }
        var headerBytes = Array(JSONWriter.compact(.object(members)).utf8)
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
}
