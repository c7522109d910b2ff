import Foundation

/// A strict reader of TFRecord event files: every length and data CRC is checked, so a damaged file is an
/// error rather than the silent truncation TensorBoard's own loader performs. Used by tests and tools.
public enum EventFileReader {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The data of every record in order.
    public static func records(_ path: String) throws -> [[UInt8]] {
        guard let data = FileManager.default.contents(atPath: path) else { throw Failure(description: "\(path): cannot be read") }
        let bytes = [UInt8](data)
        var offset = 0
        var result: [[UInt8]] = []
        func word32(_ at: Int) -> UInt32 { bytes[at..<(at + 4)].withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) } }
        while offset < bytes.count {
            guard offset + 12 <= bytes.count else { throw Failure(description: "\(path): truncated record header at byte \(offset)") }
            let lengthBytes = Array(bytes[offset..<(offset + 8)])
            guard CRC32C.masked(lengthBytes) == word32(offset + 8) else { throw Failure(description: "\(path): length CRC mismatch at byte \(offset)") }
            let length = Int(lengthBytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) })
            let start = offset + 12
            guard start + length + 4 <= bytes.count else { throw Failure(description: "\(path): truncated record at byte \(offset)") }
            let payload = Array(bytes[start..<(start + length)])
            guard CRC32C.masked(payload) == word32(start + length) else { throw Failure(description: "\(path): data CRC mismatch at byte \(offset)") }
            result.append(payload)
            offset = start + length + 4
        }
        return result
    }

    /// The `simple_value` scalars of an event file: (tag, step, value) in file order.
    public static func scalars(_ path: String) throws -> [(tag: String, step: Int, value: Float)] {
        var result: [(String, Int, Float)] = []
        for record in try records(path) {
            var step = 0
            for (field, payload) in fields(record[...]) {
                if field.number == 2 { step = Int(Int64(bitPattern: field.varint)) }
                if field.number == 5, let summary = payload {
                    for (valueField, valuePayload) in fields(summary) where valueField.number == 1 {
                        guard let value = valuePayload else { continue }
                        var tag = "", number: Float?
                        for (f, p) in fields(value) {
                            if f.number == 1, let p { tag = String(decoding: p, as: UTF8.self) }
                            if f.number == 2 { number = Float(bitPattern: UInt32(truncatingIfNeeded: f.varint)) }
                        }
                        if let number { result.append((tag, step, number)) }
                    }
                }
            }
        }
        return result
    }

    /// Protobuf fields of a message: number, varint or fixed value, and the bytes of length-delimited fields.
    static func fields(_ bytes: ArraySlice<UInt8>) -> [((number: Int, varint: UInt64), ArraySlice<UInt8>?)] {
        var result: [((Int, UInt64), ArraySlice<UInt8>?)] = []
        var i = bytes.startIndex
        func readVarint() -> UInt64 {
            var value: UInt64 = 0, shift: UInt64 = 0
            while i < bytes.endIndex {
                let byte = bytes[i]
                i += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { break }
                shift += 7
            }
            return value
        }
        while i < bytes.endIndex {
            let key = readVarint()
            let number = Int(key >> 3), wire = Int(key & 7)
            switch wire {
            case 0: result.append(((number, readVarint()), nil))
            case 1:
                let value = bytes[i..<(i + 8)].withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
                i += 8
                result.append(((number, value), nil))
            case 5:
                let value = bytes[i..<(i + 4)].withUnsafeBytes { UInt64(UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self))) }
                i += 4
                result.append(((number, value), nil))
            case 2:
                let length = Int(readVarint())
                result.append(((number, 0), bytes[i..<(i + length)]))
                i += length
            default:
                return result
            }
        }
        return result
    }
}
