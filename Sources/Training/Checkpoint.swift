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

    /// Reads a checkpoint of format 1 or 2; a missing, damaged or foreign file is an error that says which, in
    /// one line. Beyond the checksum, the contents are checked before they are used: the header length and
    /// every tensor's size against the file (nothing is allocated before), tensor names unique, no bytes after
    /// the last tensor, and a random generator state of four words, not all zero.
    public static func read(_ path: String) throws(CheckpointError) -> Checkpoint {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw CheckpointError(path: path, reason: "no such checkpoint") }
        guard !isDirectory.boolValue else { throw CheckpointError(path: path, reason: "is a directory, not a checkpoint") }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw CheckpointError(path: path, reason: "cannot be read")
        }
        var result: Result<Checkpoint, CheckpointError>!
        data.withUnsafeBytes { bytes in
            do throws(CheckpointError) {
                result = .success(try read(bytes, path: path))
            } catch {
                result = .failure(error)
            }
        }
        return try result.get()
    }

    /// Reads the checkpoint in `bytes` (the whole file); `path` names it in errors.
    static func read(_ bytes: UnsafeRawBufferPointer, path: String) throws(CheckpointError) -> Checkpoint {
        guard bytes.count >= 24, Array(bytes[0..<8]) == magic else {
            throw CheckpointError(path: path, reason: "is not an anneal checkpoint")
        }
        let stored = bytes.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self).littleEndian
        guard checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<(bytes.count - 8)])) == stored else {
            throw CheckpointError(path: path, reason: "is damaged or truncated (checksum mismatch)")
        }
        let end = bytes.count - 8  // the tensors end where the checksum starts
        let rawLength = bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian
        guard rawLength <= UInt64(end - 16) else {
            throw CheckpointError(path: path, reason: "has an unreadable header (it says it is \(rawLength) bytes, \(end - 16) follow)")
        }
        let headerData = Data(bytes[16..<(16 + Int(rawLength))])
        struct Version: Decodable {
            var formatVersion: Int?
            var format_version: Int?
        }
        let version: Version
        do {
            version = try JSONDecoder().decode(Version.self, from: headerData)
        } catch {
            throw CheckpointError(path: path, reason: "has an unreadable header (\(headerProblem(error)))")
        }
        guard let format = version.format_version ?? version.formatVersion else {
            throw CheckpointError(path: path, reason: "has an unreadable header (no format_version)")
        }
        var checkpoint: Checkpoint
        var entries: [TensorEntry]
        switch format {
        case 2:
            let header: Header
            do {
                header = try JSONDecoder().decode(Header.self, from: headerData)
            } catch {
                throw CheckpointError(path: path, reason: "has an unreadable header (\(headerProblem(error)))")
            }
            checkpoint = Checkpoint(state: header.state, optimizer: header.optimizer, configuration: header.configuration, tensors: [])
            entries = header.tensors
        case 1:
            let header: LegacyCheckpointHeader
            do {
                header = try JSONDecoder().decode(LegacyCheckpointHeader.self, from: headerData)
            } catch {
                throw CheckpointError(path: path, reason: "has an unreadable header (\(headerProblem(error)))")
            }
            checkpoint = Checkpoint(state: header.trainingState, optimizer: header.optimizerRecord, configuration: header.configuration, tensors: [])
            entries = header.tensors.map { TensorEntry(name: $0.name, count: $0.count) }
        default:
            throw CheckpointError(path: path, reason: "has format version \(format); this anneal reads versions 1 and 2")
        }
        checkpoint.readFormat = format
        for (words, what) in [(checkpoint.state.generator.state, "random generator state"),
                              (checkpoint.state.position?.orderGenerator?.state, "epoch order's generator state")] {
            guard let words else { continue }
            guard words.count == 4, words.contains(where: { $0 != 0 }) else {
                throw CheckpointError(path: path, reason: "has a damaged \(what) (\(words.count) words\(words.count == 4 ? ", all zero" : ""); xoshiro256** needs four words, not all zero)")
            }
        }
        var offset = 16 + Int(rawLength)
        checkpoint.tensors.reserveCapacity(entries.count)
        for entry in entries {
            let name = quotedName(entry.name)
            guard entry.count >= 0, entry.count <= (end - offset) / 4 else {
                throw CheckpointError(path: path, reason: "is truncated in tensor \(name) (\(entry.count) values, \(max(0, end - offset) / 4) left in the file)")
            }
            guard checkpoint.tensors[entry.name] == nil else {
                throw CheckpointError(path: path, reason: "holds the tensor \(name) twice")
            }
            let base = offset
            checkpoint.tensors[entry.name] = (0..<entry.count).map { index in
                Float(bitPattern: bytes.loadUnaligned(fromByteOffset: base + index * 4, as: UInt32.self).littleEndian)
            }
            checkpoint.tensorOrder.append(entry.name)
            offset += entry.count * 4
        }
        guard offset == end else {
            throw CheckpointError(path: path, reason: "has \(end - offset) bytes after its last tensor; the header does not match the data")
        }
        return checkpoint
    }

    /// A header decoding error in a few words: where in the header and what, with any text from the file
    /// cut to 40 characters and its control characters escaped.
    static func headerProblem(_ error: any Error) -> String {
        func location(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "the header" : quotedName(path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: "."))
        }
        switch error {
        case DecodingError.keyNotFound(let key, let context): return "no \(quotedName(key.stringValue)) in \(location(context.codingPath))"
        case DecodingError.typeMismatch(let type, let context): return "\(location(context.codingPath)) is not \(type)"
        case DecodingError.valueNotFound(let type, let context): return "\(location(context.codingPath)) is null, not \(type)"
        case DecodingError.dataCorrupted(let context): return "\(location(context.codingPath)): " + quotedName(context.debugDescription, quote: false)
        default: return "not JSON"
        }
    }

    /// `text` quoted for a message: at most 40 characters, control characters escaped.
    static func quotedName(_ text: String, quote: Bool = true) -> String {
        var result = ""
        var shown = 0
        for scalar in text.unicodeScalars {
            if shown == 40 {
                result += "…"
                break
            }
            if scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value) || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value) {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else if quote, scalar == "\"" || scalar == "\\" {
                result += "\\" + String(scalar)
            } else {
                result.unicodeScalars.append(scalar)
            }
            shown += 1
        }
        return quote ? "\"" + result + "\"" : result
    }

    /// FNV-1a, 64 bits.
    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// FNV-1a, 64 bits, of raw bytes.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
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
