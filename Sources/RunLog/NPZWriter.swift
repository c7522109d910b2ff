import Foundation
import ZIPFoundation

/// Writes NumPy `.npz` archives as `numpy.savez` does: a ZIP of `.npy` members, stored without compression,
/// so `numpy.load(path)[name]` reads each array. The ZIP container comes from ZIPFoundation.
public enum NPZWriter {
    /// One member: float32 or raw bytes (uint8, for text such as a config).
    public enum Array: Sendable {
        case float32([Float], shape: [Int])
        case bytes([UInt8])
    }

    /// The archive's bytes.
    public static func data(_ members: [(name: String, array: Array)]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (name, array) in members {
            let member: Data
            switch array {
            case .float32(let values, let shape): member = NPYWriter.data(values, shape: shape)
            case .bytes(let bytes): member = NPYWriter.data(bytes)
            }
            // A fixed date keeps the archive's bytes the same for the same arrays.
            try archive.addEntry(with: name + ".npy", type: .file, uncompressedSize: Int64(member.count),
                                 modificationDate: Date(timeIntervalSince1970: 315_532_800), compressionMethod: .none) { position, size in
                member.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return archive.data!
    }

    public static func write(_ members: [(name: String, array: Array)], to path: String) throws {
        try AtomicFile.write(try data(members), to: path)
    }
}
