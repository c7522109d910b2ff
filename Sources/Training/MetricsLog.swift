import Foundation
import JSONConfig
import RunLog

/// Writes `metrics.jsonl` (one JSON object per epoch) and `metrics.csv` (the same numbers flattened by
/// `MetricsColumns`), each line flushed at once so a killed run keeps every finished epoch.
///
/// On resume both files are rebuilt from the existing JSON lines before the resumed epochs are appended: only
/// epochs before the resume point are kept, each once (the last complete line of a duplicated epoch), and a
/// line that does not parse (cut off by a kill) is dropped; `warnings` says what was repaired and which
/// epochs, if any, are missing and cannot be recovered.
public final class MetricsLog: WritingObserver {
    public let jsonPath: String
    public let csvPath: String
    /// What was repaired on resume, for the user.
    public private(set) var warnings: [String] = []
    public private(set) var writeFailure: String?
    private let json: FileHandle
    private var csv: FileHandle
    private var header: [String] = []
    /// Every row written so far, by column name: a line with a column the header lacks (a score recorded from a
    /// later epoch on) rewrites the file with the wider header, so the CSV always holds what the JSON lines hold.
    private var rows: [[String: String]] = []

    public init(directory: String, resumingAtEpoch startEpoch: Int = 0) throws(TrainingError) {
        jsonPath = directory + "/metrics.jsonl"
        csvPath = directory + "/metrics.csv"
        var kept: [Int: (text: String, value: JSONValue)] = [:]
        var keptCSV: (header: [String], rows: [[String]])?
        if startEpoch > 0, !FileManager.default.fileExists(atPath: jsonPath) {
            let epochs = startEpoch == 1 ? "epoch 0" : "epochs 0–\(startEpoch - 1)"
            keptCSV = Self.csvRows(csvPath, before: startEpoch)
            let csvNote = keptCSV.map { kept in "metrics.csv keeps its rows for \(kept.rows.count) of them" } ?? "the TensorBoard file may still hold them"
            warnings.append("\(jsonPath) is missing: the metrics of \(epochs) are lost from it (the checkpoint continues after them, and the report and summary start at epoch \(startEpoch)); \(csvNote)")
        } else if startEpoch > 0, let text = try? String(contentsOfFile: jsonPath, encoding: .utf8) {
            var duplicated = Set<Int>(), damaged: [Int] = []
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
                guard let value = try? JSONParser.parse(String(line)), case .number(let number, _)? = value["epoch"]?.kind,
                      number == number.rounded(), abs(number) < 1e15 else {
                    damaged.append(index + 1)
                    continue
                }
                let epoch = Int(number)
                guard epoch >= 0 && epoch < startEpoch else { continue }
                if kept[epoch] != nil { duplicated.insert(epoch) }
                kept[epoch] = (String(line), value)
            }
            if !damaged.isEmpty {
                warnings.append("\(jsonPath): dropped \(damaged.count) line\(damaged.count == 1 ? "" : "s") that did not parse (line \(damaged.map(String.init).joined(separator: ", ")); a run killed while writing leaves one)")
            }
            if !duplicated.isEmpty {
                warnings.append("\(jsonPath): epoch\(duplicated.count == 1 ? "" : "s") \(duplicated.sorted().map(String.init).joined(separator: ", ")) appeared more than once; kept the last line of each")
            }
            let missing = (0..<startEpoch).filter { kept[$0] == nil }
            if !missing.isEmpty {
                warnings.append("\(jsonPath): no line for epoch\(missing.count == 1 ? "" : "s") \(missing.map(String.init).joined(separator: ", ")); the checkpoint continues after them, but their metrics are lost")
            }
        }
        let lines = kept.keys.sorted().map { kept[$0]! }
        var jsonText = ""
        var header: [String] = [], rows: [[String: String]] = []
        if let keptCSV {
            header = keptCSV.header
            rows = keptCSV.rows.map { Dictionary(zip(keptCSV.header, $0), uniquingKeysWith: { first, _ in first }) }
        }
        for line in lines {
            jsonText += line.text + "\n"
            _ = Self.add(line.value, header: &header, rows: &rows)
        }
        let csvText = Self.text(header: header, rows: rows)
        self.header = header
        self.rows = rows
        func open(_ path: String, _ contents: String) throws(TrainingError) -> FileHandle {
            do {
                try AtomicFile.write(contents, to: path)
            } catch {
                throw TrainingError(error.description)
            }
            guard let handle = FileHandle(forWritingAtPath: path) else { throw TrainingError("cannot write \(path)") }
            handle.seekToEndOfFile()
            return handle
        }
        json = try open(jsonPath, jsonText)
        csv = try open(csvPath, csvText)
    }

    /// Adds a JSON line's row (`MetricsColumns`); true when its columns widened the header of earlier rows.
    private static func add(_ value: JSONValue, header: inout [String], rows: inout [[String: String]]) -> Bool {
        let columns = MetricsColumns.flatten(value)
        let known = Set(header)
        let added = columns.map(\.name).filter { !known.contains($0) }
        header += added
        rows.append(Dictionary(columns.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first }))
        return !added.isEmpty && rows.count > 1
    }

    /// The CSV text of the header and every row (empty cells for columns a row lacks).
    private static func text(header: [String], rows: [[String: String]]) -> String {
        header.isEmpty ? "" : CSVTable.line(header) + rows.map { row in CSVTable.line(header.map { row[$0] ?? "" }) }.joined()
    }

    /// The rows of the metrics.csv at `path` for epochs before `startEpoch`, each once (the last row of a
    /// duplicated epoch), in epoch order, with the file's header; nil when there is no such file or row.
    public static func csvRows(_ path: String, before startEpoch: Int) -> (header: [String], rows: [[String]])? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let records = CSVTable.records(CSVTable.text(data))
        guard let header = records.first, let epochColumn = header.firstIndex(of: "epoch") else { return nil }
        var rows: [Int: [String]] = [:]
        for record in records.dropFirst() where record.count == header.count {
            guard let epoch = Int(record[epochColumn]), epoch >= 0 && epoch < startEpoch else { continue }
            rows[epoch] = record
        }
        guard !rows.isEmpty else { return nil }
        return (header, rows.keys.sorted().map { rows[$0]! })
    }

    public func epochFinished(_ metrics: EpochMetrics) {
        guard writeFailure == nil else { return }
        let value = metrics.json
        let widened = Self.add(value, header: &header, rows: &rows)
        let csvText = rows.count == 1 ? Self.text(header: header, rows: rows) : CSVTable.line(header.map { rows[rows.count - 1][$0] ?? "" })
        do {
            try json.write(contentsOf: Data((JSONWriter.compact(value) + "\n").utf8))
        } catch {
            // The trainer stops with this before the epoch's checkpoint (see WritingObserver).
            writeFailure = "cannot write \(jsonPath): \(AtomicFile.reason(error))"
            return
        }
        do {
            if widened {
                // New columns: the whole file again, atomically, with the wider header.
                try AtomicFile.write(Self.text(header: header, rows: rows), to: csvPath)
                try? csv.close()
                guard let handle = FileHandle(forWritingAtPath: csvPath) else { throw TrainingError("cannot open it again") }
                handle.seekToEndOfFile()
                csv = handle
            } else {
                try csv.write(contentsOf: Data(csvText.utf8))
            }
        } catch {
            writeFailure = "cannot write \(csvPath): \(AtomicFile.reason(error))"
            return
        }
        try? json.synchronize()
        try? csv.synchronize()
    }

    deinit {
        try? json.close()
        try? csv.close()
    }
}
