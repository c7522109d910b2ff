import Data
import Foundation
import Synchronization
import JSONConfig
import RunLog
import Schedules
import Training

/// The fuzz targets: one per parser of untrusted input. Each takes any bytes and returns the broken promises
/// it found (none for a good parser): a crash, a trap or a sanitizer report is found by the fuzzer itself;
/// these are the checks beyond "does not crash":
///
/// - `json`: the JSON parser's result writes and re-parses to the same value (non-finite numbers may come
///   back as null); errors are one bounded line.
/// - `runConfiguration`: a run config is read from the JSON (schedules, model, data section) without a crash,
///   its quantities are evaluated over a short run and their warnings made, and the written config reads back;
///   errors and warnings are one bounded line.
/// - `npy`, `idx`: a read array's values match its shape and its recorded range; errors name the file and are
///   one bounded line without raw control characters.
/// - `csv`: the same result (values, labels, header, or the same error) with one thread and a large buffer as
///   with three threads and a tiny buffer; on ASCII input, the same accept/refuse decision and values as the
///   old string-based reader (`ReferenceCSVReader`); bounded errors.
/// - `checkpoint`: the input between the magic and a valid checksum; a checkpoint that reads writes and
///   reads back the same; a refused one says why in one bounded line.
/// - `png`: a PNG file as one image of a `png_folder` (libpng behind `PNGExample`): an image read has as many
///   bytes as its shape says, never more than 64 M values; errors name the file and are one bounded line.
/// - `metrics-csv`: a run's metrics.csv as resume reads it back (its rows are kept when metrics.jsonl is
///   gone): the records written again read back as the same records, and the rows kept for a resume are
///   whole rows of the file's header.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case json
    case runConfiguration = "run-config"
    case npy
    case csv
    case idx
    case checkpoint
    case metricsCSV = "metrics-csv"
    case png

    /// The longest error message a reader may give (a bounded prefix of any bad value, a bounded column list).
    public static let messageLimit = 2000

    /// Runs the target on `bytes`; returns the problems found (empty: the input was handled correctly).
    public func run(_ bytes: [UInt8]) -> [String] {
        switch self {
        case .json: return Self.json(bytes)
        case .runConfiguration: return Self.runConfiguration(bytes)
        case .npy: return Self.binary(bytes, read: { (path) throws(DataError) in try NPYReader.read(path) }, name: "npy")
        case .idx: return Self.binary(bytes, read: { (path) throws(DataError) in try IDXReader.read(path) }, name: "idx")
        case .csv: return Self.csv(bytes)
        case .checkpoint: return Self.checkpoint(bytes)
        case .metricsCSV: return Self.metricsCSV(bytes)
        case .png: return Self.png(bytes)
        }
    }

    // MARK: Checks shared by the targets

    /// Problems with an error message: too long, or holding a raw control character.
    static func messageProblems(_ message: String) -> [String] {
        var problems: [String] = []
        if message.utf8.count > messageLimit { problems.append("an error message of \(message.utf8.count) bytes: \(message.prefix(200))…") }
        if message.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) || (0x202A...0x202E).contains($0.value) }) {
            problems.append("an error message with a raw control character: \(message.debugDescription.prefix(300))")
        }
        return problems
    }

    /// A file for the input, one per call (process, target and a counter: tests run targets concurrently in one
    /// process), on a memory file system when there is one; callers remove it.
    static let scratchCounter = Atomic<Int>(0)

    static func scratchFile(_ name: String, _ bytes: [UInt8]) -> String {
        let directory = FileManager.default.isWritableFile(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let path = directory + "/anneal-fuzz-\(getpid())-\(name)-\(scratchCounter.add(1, ordering: .relaxed).newValue)"
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { fatalError("cannot write \(path)") }
        return path
    }

    // MARK: metrics.csv

    static func metricsCSV(_ bytes: [UInt8]) -> [String] {
        let records = CSVTable.records(CSVTable.text(Data(bytes)))
        var problems: [String] = []
        let written = records.map(CSVTable.line).joined()
        if CSVTable.records(written) != records { problems.append("records written again read back differently: \(written.prefix(200).debugDescription)") }
        let path = scratchFile("metrics-csv", bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        if let kept = MetricsLog.csvRows(path, before: 1000) {
            if kept.header != records.first { problems.append("the kept header is not the file's") }
            if kept.rows.contains(where: { $0.count != kept.header.count }) { problems.append("a kept row is not as wide as the header") }
        }
        return problems
    }

    // MARK: JSON

    static func json(_ bytes: [UInt8]) -> [String] {
        do {
            let value = try JSONParser.parse(bytes: bytes, file: "fuzz.json")
            let compact = JSONWriter.compact(value)
            do {
                let again = try JSONParser.parse(compact)
                return sameWritten(value, again) ? [] : ["the written JSON reads back as another value: \(compact.prefix(200))"]
            } catch {
                return ["the written JSON does not parse: \(error.description.prefix(300)) for \(compact.prefix(200))"]
            }
        } catch {
            return messageProblems(error.description)
        }
    }

    /// Whether `read` is `value` as JSONWriter writes it: equal, except that a non-finite number (which JSON
    /// cannot spell) may come back as itself or as null.
    static func sameWritten(_ value: JSONValue, _ read: JSONValue) -> Bool {
        switch (value.kind, read.kind) {
        case let (.number(number, _), .null): return !number.isFinite
        case let (.array(a), .array(b)): return a.count == b.count && zip(a, b).allSatisfy { sameWritten($0, $1) }
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && sameWritten($0.value, $1.value) }
        default: return value == read
        }
    }

    static func runConfiguration(_ bytes: [UInt8]) -> [String] {
        guard let document = try? JSONParser.parse(bytes: bytes, file: "fuzz.json") else { return [] }
        do {
            let configuration = try RunConfiguration.parse(document, file: "/fuzz/run.json")
            // What anneal schedule and the trainer then do with the schedules: every quantity at the epochs and a
            // few steps of a short run, the warnings, the written config read back (a subnormal T_0 once stopped
            // the program here, in a Double-to-Int conversion).
            let plan = configuration.quantities
            let epochs = min(configuration.training.numEpochs, 60)
            for epoch in 0...epochs {
                for step in [0, 1, 3] { _ = plan.values(at: .batch(step, ofEpoch: epoch, stepsPerEpoch: 4), controllers: plan.initialControllerStates()) }
            }
            for warning in plan.warnings(over: RunWindow(numEpochs: max(1, epochs), stepsPerEpoch: 4)) {
                let problems = messageProblems(warning.description)
                if !problems.isEmpty { return problems }
                if warning.description.range(of: #"(inf|nan)e[-+]"#, options: .regularExpression) != nil { return ["a warning prints a number as \(warning.description.prefix(200))"] }
            }
            _ = try RunConfiguration.parse(try JSONParser.parse(JSONWriter.compact(configuration.json)), file: "/fuzz/written.json")
            return []
        } catch {
            return messageProblems(error.description)
        }
    }

    // MARK: Binary arrays

    static func binary(_ bytes: [UInt8], read: (String) throws(DataError) -> NumericArray, name: String) -> [String] {
        let path = scratchFile(name, bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let array = try read(path)
            var problems: [String] = []
            let count = array.shape.reduce(1, *)
            if array.values.count != count { problems.append("\(array.values.count) values for the shape \(array.shape)") }
            if array.values.count > bytes.count { problems.append("\(array.values.count) values from \(bytes.count) bytes") }
            let finite = array.values.filter { !$0.isNaN }
            if let low = finite.min(), let minimum = array.minimum, Float(minimum) != low, array.elementType != .float64 {
                problems.append("minimum \(minimum), values' minimum \(low)")
            }
            if let high = finite.max(), let maximum = array.maximum, Float(maximum) != high, array.elementType != .float64 {
                problems.append("maximum \(maximum), values' maximum \(high)")
            }
            if finite.isEmpty != (array.minimum == nil) { problems.append("a range \(String(describing: array.minimum)) for \(finite.count) non-NaN values") }
            return problems
        } catch {
            return (error.file == path ? [] : ["an error naming \(error.file ?? "no file")"]) + messageProblems(error.description)
        }
    }

    // MARK: PNG

    static func png(_ bytes: [UInt8]) -> [String] {
        let folder = scratchFile("png", []) + "-folder"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/class/image.png"
        do {
            try FileManager.default.createDirectory(atPath: folder + "/class", withIntermediateDirectories: true)
            try Foundation.Data(bytes).write(to: URL(fileURLWithPath: path))
        } catch { fatalError("cannot write \(path)") }
        do {
            let image = try PNGFolderReader.read(folder)
            var problems: [String] = []
            let count = image.shape.reduce(1, *)
            if image.bytes.count != count { problems.append("\(image.bytes.count) bytes for the shape \(image.shape)") }
            if count > 1 << 26 { problems.append("an image of \(count) values") }
            if image.labels != [0] || image.classNames != ["class"] { problems.append("labels \(String(describing: image.labels)), classes \(String(describing: image.classNames))") }
            return problems
        } catch {
            return (error.file == path ? [] : ["an error naming \(error.file ?? "no file")"]) + messageProblems(error.description)
        }
    }

    // MARK: CSV

    /// What a CSV read gave, comparable across readers and settings.
    struct CSVOutcome: Equatable {
        var header: [String]?
        var shape: [Int] = []
        var values: [UInt32] = []
        var labels: [Double]?
        var minimum: Double?
        var maximum: Double?
        var error: String?
    }

    static func readCSV(_ path: String, labelColumn: String?, options: DataReadOptions) -> CSVOutcome {
        do {
            let table = try CSVReader.read(path, labelColumn: labelColumn, options: options)
            return CSVOutcome(header: table.header, shape: table.features.shape, values: table.features.values.map(\.bitPattern), labels: table.labels,
                              minimum: table.features.minimum, maximum: table.features.maximum)
        } catch {
            return CSVOutcome(error: error.message)
        }
    }

    static func csv(_ input: [UInt8]) -> [String] {
        // The first byte picks the label column and the small buffer; the rest is the file.
        guard let control = input.first else { return [] }
        let bytes = Array(input.dropFirst())
        let labelColumn: String? = [nil, "0", "1", "label", "a", "-1"][Int(control % 6)]
        let path = scratchFile("csv", bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var plain = DataReadOptions()
        plain.threads = 1
        var split = DataReadOptions()
        split.threads = 3
        split.bufferSize = 16 + Int(control >> 3)
        let one = readCSV(path, labelColumn: labelColumn, options: plain)
        let three = readCSV(path, labelColumn: labelColumn, options: split)
        var problems: [String] = []
        if one != three { problems.append("1 thread gave \(describe(one)), 3 threads with \(split.bufferSize)-byte buffers gave \(describe(three))") }
        if let error = one.error { problems += messageProblems(error) }
        if one.error == nil {
            let count = one.shape.reduce(1, *)
            if one.values.count != count { problems.append("\(one.values.count) values for the shape \(one.shape)") }
            let floats = one.values.map(Float.init(bitPattern:))
            if let low = floats.min(), one.minimum.map(Float.init) != low { problems.append("minimum \(String(describing: one.minimum)), values' \(low)") }
            if let high = floats.max(), one.maximum.map(Float.init) != high { problems.append("maximum \(String(describing: one.maximum)), values' \(high)") }
        }
        // Against the old reader, on input where both define the same thing: ASCII, no NUL, no byte-order mark.
        if bytes.allSatisfy({ $0 != 0 && $0 < 0x80 }) {
            let reference = ReferenceCSVReader.read(String(decoding: bytes, as: UTF8.self), labelColumn: labelColumn)
            switch (reference, one.error) {
            case (.success(let table), nil):
                if table.features.map(\.bitPattern) != one.values || table.labels != one.labels || table.header != one.header || [table.rows, table.features.count / max(1, table.rows)] != one.shape {
                    problems.append("the old reader read \(table.rows) rows \(table.features.prefix(8)) labels \(String(describing: table.labels?.prefix(8))), the new one \(describe(one))")
                }
            case (.success, let error?):
                problems.append("the old reader accepted what the new one refuses: \(error)")
            case (.failure(let error), nil):
                problems.append("the old reader refused (\(error.message)) what the new one accepts: \(describe(one))")
            case (.failure, _?):
                break
            }
        }
        return problems
    }

    static func describe(_ outcome: CSVOutcome) -> String {
        if let error = outcome.error { return "error \(error.prefix(300))" }
        return "shape \(outcome.shape), values \(outcome.values.prefix(8).map(Float.init(bitPattern:))), labels \(String(describing: outcome.labels?.prefix(8))), header \(String(describing: outcome.header?.prefix(8)))"
    }

    // MARK: Checkpoints

    static func checkpoint(_ input: [UInt8]) -> [String] {
        // The checksum would turn away nearly every input before the header is read: give each a valid one.
        var bytes = Array("ANNEALCK".utf8) + input
        withUnsafeBytes(of: fnv1a(bytes).littleEndian) { bytes.append(contentsOf: $0) }
        let path = scratchFile("checkpoint", bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let checkpoint = try Checkpoint.read(path)
            var problems: [String] = []
            if checkpoint.tensorOrder.count != checkpoint.tensors.count { problems.append("\(checkpoint.tensorOrder.count) tensor names for \(checkpoint.tensors.count) tensors") }
            var state = checkpoint.state
            _ = state.generator.next()  // a generator that reads must run
            let again = path + ".again"
            defer { try? FileManager.default.removeItem(atPath: again) }
            do {
                try checkpoint.write(to: again)
                let read = try Checkpoint.read(again)
                let differences = [("state", read.state != checkpoint.state), ("tensors", bits(read.tensors) != bits(checkpoint.tensors)),
                                   ("tensor order", read.tensorOrder != checkpoint.tensorOrder), ("optimizer", read.optimizer != checkpoint.optimizer),
                                   ("configuration", read.configuration != checkpoint.configuration)].filter(\.1).map(\.0)
                if !differences.isEmpty {
                    problems.append("a checkpoint written back reads with another \(differences.joined(separator: ", "))"
                        + (read.state != checkpoint.state ? ": \(String(describing: checkpoint.state).prefix(400)) became \(String(describing: read.state).prefix(400))" : ""))
                }
            } catch {
                problems.append("a checkpoint that reads cannot be written back and read: \(error)")
            }
            return problems
        } catch {
            return (error.path == path ? [] : ["an error naming \(error.path)"]) + messageProblems(error.description)
        }
    }

    /// Tensors by their bit patterns (NaN equals itself).
    static func bits(_ tensors: [String: [Float]]) -> [String: [UInt32]] { tensors.mapValues { $0.map(\.bitPattern) } }

    /// FNV-1a, 64 bits: the checkpoint checksum.
    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
