import Foundation
import JSONConfig
import Schedules

/// Paths of test fixtures and examples, found from this file's location so tests run from any directory.
enum Fixtures {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let repository = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ name: String) -> String {
        testsDirectory.appendingPathComponent("Fixtures").appendingPathComponent(name).path
    }

    static func seed(_ name: String) -> String { path("seed/" + name) }

    static func example(_ name: String) -> String {
        repository.appendingPathComponent("examples").appendingPathComponent(name).path
    }

    /// Every seed fixture file name.
    static var seedFiles: [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: testsDirectory.appendingPathComponent("Fixtures/seed").path).sorted()) ?? []
    }

    /// The schedule-only JSON files in examples/ (run configs, with a "data" section, are tested by TrainingTests).
    static var exampleFiles: [String] {
        let directory = repository.appendingPathComponent("examples").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { name in
            guard name.hasSuffix(".json"), let text = try? String(contentsOfFile: directory + "/" + name, encoding: .utf8) else { return false }
            return !text.contains("\"data\"")
        }.sorted()
    }

    /// Parses JSON text written in a test.
    static func json(_ text: String) -> JSONValue {
        do { return try JSONParser.parse(text) } catch { fatalError("bad JSON in a test: \(error)") }
    }

    /// A configuration from JSON text written in a test.
    static func configuration(_ text: String, numEpochs: Int? = nil) throws(ConfigError) -> ScheduleConfiguration {
        try ScheduleConfiguration.parse(json(text), file: "test.json", numEpochs: numEpochs)
    }

    /// The single β schedule of a config written in a test.
    static func beta(_ text: String, numEpochs: Int? = nil) throws -> Schedule {
        try configuration(text, numEpochs: numEpochs).beta.terms[0].schedule
    }
}

extension ProgressSchedule {
    /// Values at the start of epochs `range` (per-epoch evaluation).
    func values(_ range: Range<Int>) -> [Double] { range.map { value(atEpoch: $0) } }
}
