import Foundation
import JSONConfig
import Schedules
import Testing
@testable import Training

@Suite("Example configs")
struct ExampleConfigTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples").path

    /// Every JSON file in examples/ (listing the folder throws if it is missing, failing the test).
    static func files() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
    }

    @Test("every example either trains (config, data and model build, one step runs, no schedule warning) or says in its description that it is a schedule demo")
    func everyExample() throws {
        let files = try Self.files()
        #expect(files.count >= 8, "\(files)")
        #expect(files.contains("quickstart.json") && files.contains("ternary_operations.json"))
        var trained = 0
        for name in files {
            let path = Self.directory + "/" + name
            let document = try ConfigFile.load(path)
            if document["data"] != nil {
                let configuration = try RunConfiguration.load(file: path)
                let dataset = try configuration.data.load()
                let trainer = try Trainer(configuration: configuration, dataset: dataset, runDirectory: nil)
                let warnings = configuration.quantities.warnings(over: RunWindow(numEpochs: configuration.training.numEpochs, stepsPerEpoch: trainer.stepsPerEpoch))
                #expect(warnings.isEmpty, "\(name): \(warnings)")
                var sums = trainer.emptySums()
                let step = trainer.step(trainer.split.training.prefix(configuration.training.batchSize), progress: .epoch(0, stepsPerEpoch: trainer.stepsPerEpoch), sums: &sums)
                #expect(step.loss.isFinite && !step.skipped, "\(name)")
                trained += 1
            } else {
                guard case .string(let description)? = document["description"]?.kind else {
                    Issue.record("\(name) has no data section and no description saying what it is for")
                    continue
                }
                #expect(description.hasPrefix("Schedule demo for anneal schedule"), "\(name): \(description)")
                // anneal schedule reads it; anneal train refuses it, quoting the description.
                _ = try ScheduleConfiguration.load(file: path)
                #expect { try RunConfiguration.load(file: path) } throws: { error in
                    (error as? ConfigError)?.message.contains("nothing to train; its description says: Schedule demo") == true
                }
            }
        }
        #expect(trained >= 6)
    }

    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/example_losses.json").path

    /// The loss of each of a trained example's first three steps, from a fresh trainer.
    static func firstLosses(_ path: String) throws -> [Double] {
        let configuration = try RunConfiguration.load(file: path)
        let trainer = try Trainer(configuration: configuration, dataset: try configuration.data.load(), runDirectory: nil)
        var sums = trainer.emptySums()
        let batch = configuration.training.batchSize
        return (0..<3).map { step in
            trainer.step(trainer.split.training[(step * batch)..<min(trainer.split.training.count, (step + 1) * batch)],
                         progress: .batch(step, ofEpoch: 0, stepsPerEpoch: trainer.stepsPerEpoch), sums: &sums).loss
        }
    }

    /// Recorded before networks became `Network`s (convolutions): the examples' runs were then compared epoch by
    /// epoch, every metric bit for bit, between the two builds on the recording machine. Here a tolerance of 1e-6
    /// (relative) covers other CPUs' BLAS kernels, which sum in other orders; any change to the models'
    /// initialisation, layer order or arithmetic moves these losses far more.
    /// `ANNEAL_UPDATE_FIXTURES=1 swift test --filter ExampleConfigTests` rewrites the file.
    @Test("every trained example's first three steps give the losses recorded before convolutions existed")
    func lossesUnchanged() throws {
        var recorded: [String: [Double]] = [:]
        for name in try Self.files() where try ConfigFile.load(Self.directory + "/" + name)["data"] != nil {
            recorded[name] = try Self.firstLosses(Self.directory + "/" + name)
        }
        if ProcessInfo.processInfo.environment["ANNEAL_UPDATE_FIXTURES"] == "1" {
            let json = JSONValue.object(recorded.keys.sorted().map { ($0, .array(recorded[$0]!.map { .number($0) })) })
            try JSONWriter.pretty(json).write(toFile: Self.fixture, atomically: true, encoding: .utf8)
        }
        let saved = try JSONParser.parse(String(contentsOfFile: Self.fixture, encoding: .utf8))
        #expect(Set(saved.members?.map(\.key) ?? []) == Set(recorded.keys))
        for (name, losses) in recorded {
            guard case .array(let values)? = saved[name]?.kind else { Issue.record("\(name) is not in the fixture"); continue }
            let expected = values.compactMap { if case .number(let n, _) = $0.kind { n } else { nil } }
            #expect(expected.count == losses.count && zip(expected, losses).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($0)) }, "\(name): \(losses) vs \(expected)")
        }
    }

    @Test("a description is recorded in the run's resolved config")
    func descriptionRecorded() throws {
        let configuration = try TrainingFixtures.configuration(#"{"description": "baseline, seed 7", "data": {"source": "shapes"}}"#)
        #expect(configuration.description == "baseline, seed 7")
        #expect(configuration.json["description"] == .string("baseline, seed 7"))
    }
}
