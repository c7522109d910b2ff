import Foundation
import JSONConfig
import Layers
import RunLog
import Tensors

/// Everything needed to continue a run exactly: parameters, optimiser state, the random generator, the
/// step and epoch (and, for a checkpoint taken inside an epoch, that epoch's order and partial sums), the
/// best metrics and the resolved config.
///
/// File layout: the 8 bytes `ANNEALCK`, a little-endian UInt64 header length, the header as JSON, the tensors
/// as raw little-endian float32 in the order the header lists them, and an FNV-1a 64-bit checksum of all that.
/// Written to a temporary file and renamed (never half-written); a damaged or truncated file fails the checksum.
public struct Checkpoint: Sendable {
    /// The header: every value except the tensors.
    public struct Header: Codable, Equatable, Sendable {
        public var formatVersion = 1
        /// Epochs completed (the epoch to continue with, if `position` is nil).
        public var epoch: Int
        public var globalStep: Int
        /// Set when the checkpoint was taken inside an epoch (Ctrl-C): where to continue.
        public var position: EpochPosition?
        public var generator: RandomGenerator
        public var optimizerConfiguration: OptimizerConfiguration
        public var optimizerStep: Int
        public var skippedSteps: Int
        public var consecutiveSkips: Int
        public var bestValidationELBO: Double?
        public var bestEpoch: Int?
        /// The resolved run config, as JSON text.
        public var configuration: String
        /// Tensors in file order: name and element count.
        public var tensors: [TensorEntry]
    }

    public struct TensorEntry: Codable, Equatable, Sendable {
        public var name: String
        public var count: Int
    }

    /// Where an interrupted epoch stopped.
    public struct EpochPosition: Codable, Equatable, Sendable {
        public var epoch: Int
        public var order: [Int]
        public var nextBatch: Int
        public var sums: EpochSums
    }

    public var header: Header
    /// Tensor values by name: parameters as `<name>`, optimiser buffers as `optimizer.first.<name>` and
    /// `optimizer.second.<name>`.
    public var tensors: [String: [Float]]

    static let magic = Array("ANNEALCK".utf8)

    public func write(to path: String) throws(AtomicFile.WriteError) {
        var bytes = Checkpoint.magic
        let headerData = (try? JSONEncoder().encode(header)) ?? Data()
        appendInteger(UInt64(headerData.count), to: &bytes)
        bytes += headerData
        for entry in header.tensors {
            let values = tensors[entry.name] ?? []
            values.withUnsafeBufferPointer { buffer in
                let raw = UnsafeRawBufferPointer(buffer)
                bytes.append(contentsOf: raw)  // little-endian on every platform Swift supports here
            }
        }
        appendInteger(Checkpoint.checksum(bytes[...]), to: &bytes)
        try AtomicFile.write(Data(bytes), to: path)
    }

    private func appendInteger(_ value: UInt64, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Reads a checkpoint; a missing, damaged or foreign file is an error that says which.
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
        let headerLength = Int(bytes[8..<16].withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) })
        guard 16 + headerLength <= bytes.count - 8, let header = try? JSONDecoder().decode(Header.self, from: Data(bytes[16..<(16 + headerLength)])) else {
            throw CheckpointError(path: path, reason: "has an unreadable header")
        }
        guard header.formatVersion == 1 else {
            throw CheckpointError(path: path, reason: "has format version \(header.formatVersion); this anneal reads version 1")
        }
        var offset = 16 + headerLength
        var tensors: [String: [Float]] = [:]
        for entry in header.tensors {
            let size = entry.count * 4
            guard offset + size <= bytes.count - 8 else { throw CheckpointError(path: path, reason: "is truncated in tensor \(entry.name)") }
            tensors[entry.name] = bytes[offset..<(offset + size)].withUnsafeBytes { raw in
                (0..<entry.count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
            }
            offset += size
        }
        return Checkpoint(header: header, tensors: tensors)
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
