import Foundation
import JSONConfig

/// Writes `metrics.jsonl` (one JSON object per epoch) and `metrics.csv` (the same numbers, one column each,
/// for pandas), each line flushed at once so a killed run keeps every finished epoch. On resume, lines for
/// epochs at or after the resume point are dropped first, so no epoch appears twice.
public final class MetricsLog: TrainingObserver {
    public let jsonPath: String
    public let csvPath: String
    private let json: FileHandle
    private let csv: FileHandle
    private var csvHasHeader: Bool

    public init(directory: String, resumingAtEpoch startEpoch: Int = 0) throws(TrainingError) {
        jsonPath = directory + "/metrics.jsonl"
        csvPath = directory + "/metrics.csv"
        var keptJSON = "", keptCSV = ""
        if startEpoch > 0 {
            for line in ((try? String(contentsOfFile: jsonPath, encoding: .utf8)) ?? "").split(separator: "\n") {
                if let value = try? JSONParser.parse(String(line)), case .number(let epoch, _)? = value["epoch"]?.kind, Int(epoch) < startEpoch {
                    keptJSON += line + "\n"
                }
            }
            for (index, line) in ((try? String(contentsOfFile: csvPath, encoding: .utf8)) ?? "").split(separator: "\n").enumerated() {
                if index == 0 || (Double(line.prefix(while: { $0 != "," })).map { Int($0) < startEpoch } ?? false) { keptCSV += line + "\n" }
            }
        }
        csvHasHeader = !keptCSV.isEmpty
        func open(_ path: String, _ contents: String) throws(TrainingError) -> FileHandle {
            guard FileManager.default.createFile(atPath: path, contents: Data(contents.utf8)), let handle = FileHandle(forWritingAtPath: path) else {
                throw TrainingError("cannot write \(path)")
            }
            handle.seekToEndOfFile()
            return handle
        }
        json = try open(jsonPath, keptJSON)
        csv = try open(csvPath, keptCSV)
    }

    public func epochFinished(_ metrics: EpochMetrics) {
        json.write(Data((JSONWriter.compact(metrics.json) + "\n").utf8))
        let columns = metrics.flatColumns
        var text = csvHasHeader ? "" : columns.map(\.name).joined(separator: ",") + "\n"
        csvHasHeader = true
        text += columns.map { column in column.value.map { "\($0)" } ?? "" }.joined(separator: ",") + "\n"
        csv.write(Data(text.utf8))
        try? json.synchronize()
        try? csv.synchronize()
    }

    deinit {
        try? json.close()
        try? csv.close()
    }
}
