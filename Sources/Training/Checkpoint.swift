import Foundation
import JSONConfig
import Layers
import RunLog
import Tensors

/// Everything needed to continue a run exactly: parameters, optimiser state, the training state (epoch,
/// step, position in the epoch, random generator, controllers, best metrics) and the resolved config.
///
/// File layout (format 2): the 8 bytes `ANNEALCK`, a little-endian UInt64 header length, the header as JSON
/// (`format_version`, `state`, `optimizer`, `configuration`, `tensors`), the tensors as raw little-endian
/// float32 in the order the header lists them, and an FNV-1a 64-bit checksum of all that. Written to a
/// temporary file and renamed (never half-written); a damaged or truncated file fails the checksum.
/// Format 1 (anneal 0.1) is read too: its fixed header becomes a `TrainingState`.
public struct Checkpoint: Sendable {
    /// The JSON header of format 2: every value except the tensors.
    struct Header: Codable {
        var formatVersion = 2
        var state: TrainingState
        var optimizer: OptimizerRecord
        /// The resolved run config, as JSON text.
        var configuration: String
        var tensors: [TensorEntry]

        enum CodingKeys: String, CodingKey {
            case formatVersion = "format_version", state, optimizer, configuration, tensors
        }
    }

    /// The optimiser's configuration and counters (its buffers are tensors).
    public struct OptimizerRecord: Codable, Equatable, Sendable {
        public var configuration: OptimizerConfiguration
        public var step: Int
        public var skippedSteps: Int

        enum CodingKeys: String, CodingKey {
            case configuration, step, skippedSteps = "skipped_steps"
        }
    }

    public struct TensorEntry: Codable, Equatable, Sendable {
        public var name: String
        public var count: Int
    }

    public static let formatVersion = 2

    public var state: TrainingState
    public var optimizer: OptimizerRecord
    /// The resolved run config, as JSON text.
    public var configuration: String
    /// Tensor values by name: parameters as `<name>`, optimiser buffers as `optimizer.first.<name>` and
    /// `optimizer.second.<name>`.
    public var tensors: [String: [Float]]
    /// Tensor names in file order.
    public var tensorOrder: [String]
    /// The format the checkpoint was read from (`formatVersion` for one made in memory).
    public private(set) var readFormat = Checkpoint.formatVersion

    public init(state: TrainingState, optimizer: OptimizerRecord, configuration: String, tensors: [(name: String, values: [Float])]) {
        self.state = state
        self.optimizer = optimizer
        self.configuration = configuration
        self.tensors = Dictionary(uniqueKeysWithValues: tensors.map { ($0.name, $0.values) })
        tensorOrder = tensors.map(\.name)
    }

    static let magic = Array("ANNEALCK".utf8)

    public func write(to path: String) throws(AtomicFile.WriteError) {
        var bytes = Checkpoint.magic
        let header = Header(state: state, optimizer: optimizer, configuration: configuration,
                            tensors: tensorOrder.map { TensorEntry(name: $0, count: tensors[$0]?.count ?? 0) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let headerData: Data
        do {
            headerData = try encoder.encode(header)
        } catch {
            // Never an empty header: a state JSON cannot hold (a non-finite number) is an error saying so.
            throw AtomicFile.WriteError(path: path, reason: "the training state holds a value a checkpoint cannot store (\(error)); nothing was written")
        }
        appendInteger(UInt64(headerData.count), to: &bytes)
        bytes += headerData
        for name in tensorOrder {
            (tensors[name] ?? []).withUnsafeBufferPointer { buffer in
                bytes.append(contentsOf: UnsafeRawBufferPointer(buffer))  // little-endian on every platform Swift supports here
            }
        }
        appendInteger(Checkpoint.checksum(bytes[...]), to: &bytes)
        try AtomicFile.write(Data(bytes), to: path)
    }

    private func appendInteger(_ value: UInt64, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Reads a checkpoint of format 1 or 2; a missing, damaged or foreign file is an error that says which.
    public static func read(_ path: String) throws(CheckpointError) -> Checkpoint {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CheckpointError(path: path, reason: FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such checkpoint")
        }
        let bytes = [UInt8](data)
        guard bytes.count >= 24, Array(bytes[0..<8]) == magic else {
            throw CheckpointError(path: path, reason: "is not an anneal checkpoint")
        }
        let stored = bytes[(bytes.count - 8)...].withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard checksum(bytes[0..<(bytes.count - 8)]) == stored else {
            throw CheckpointError(path: path, reason: "is damaged or truncated (checksum mismatch)")
        }
        let rawLength = bytes[8..<16].withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard rawLength <= UInt64(bytes.count - 24) else { throw CheckpointError(path: path, reason: "has an unreadable header") }
        let headerData = Data(bytes[16..<(16 + Int(rawLength))])
        struct Version: Decodable {
            var formatVersion: Int?
            var format_version: Int?
        }
        guard let version = try? JSONDecoder().decode(Version.self, from: headerData), let format = version.format_version ?? version.formatVersion else {
            throw CheckpointError(path: path, reason: "has an unreadable header")
        }
        var checkpoint: Checkpoint
        var entries: [TensorEntry]
        switch format {
        case 2:
            guard let header = try? JSONDecoder().decode(Header.self, from: headerData) else {
                throw CheckpointError(path: path, reason: "has an unreadable header")
            }
            checkpoint = Checkpoint(state: header.state, optimizer: header.optimizer, configuration: header.configuration, tensors: [])
            entries = header.tensors
        case 1:
            guard let header = try? JSONDecoder().decode(LegacyCheckpointHeader.self, from: headerData) else {
                throw CheckpointError(path: path, reason: "has an unreadable header")
            }
            checkpoint = Checkpoint(state: header.trainingState, optimizer: header.optimizerRecord, configuration: header.configuration, tensors: [])
            entries = header.tensors.map { TensorEntry(name: $0.name, count: $0.count) }
        default:
            throw CheckpointError(path: path, reason: "has format version \(format); this anneal reads versions 1 and 2")
        }
        checkpoint.readFormat = format
        var offset = 16 + Int(rawLength)
        for entry in entries {
            guard entry.count >= 0, entry.count <= (bytes.count - 8 - offset) / 4 else {
                throw CheckpointError(path: path, reason: "is truncated in tensor \(entry.name)")
            }
            let size = entry.count * 4
            checkpoint.tensors[entry.name] = bytes[offset..<(offset + size)].withUnsafeBytes { raw in
                (0..<entry.count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
            }
            checkpoint.tensorOrder.append(entry.name)
            offset += size
        }
        return checkpoint
    }

    /// FNV-1a, 64 bits.
    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}

/// A checkpoint that cannot be used, with the reason.
public struct CheckpointError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}
