import Foundation
import JSONConfig

/// Appends one JSON line per epoch to `metrics.jsonl`, flushed at once, so a killed run keeps every finished
/// epoch. On resume, lines for epochs at or after the resume point are dropped first, so no epoch appears twice.
public final class MetricsLog: TrainingObserver {
    public let path: String
    private let handle: FileHandle

    public init(path: String, resumingAtEpoch startEpoch: Int = 0) throws(TrainingError) {
        self.path = path
        var kept = ""
        if startEpoch > 0, let existing = try? String(contentsOfFile: path, encoding: .utf8) {
            for line in existing.split(separator: "\n") {
                if let value = try? JSONParser.parse(String(line)), case .number(let epoch, _)? = value["epoch"]?.kind, Int(epoch) < startEpoch {
                    kept += line + "\n"
                }
            }
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(kept.utf8)), let handle = FileHandle(forWritingAtPath: path) else {
            throw TrainingError("cannot write \(path)")
        }
        handle.seekToEndOfFile()
        self.handle = handle
    }

    public func epochFinished(_ metrics: EpochMetrics) {
        handle.write(Data((JSONWriter.compact(metrics.json) + "\n").utf8))
        try? handle.synchronize()
    }

    deinit { try? handle.close() }
}
