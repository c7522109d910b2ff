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
        #expect(files.contains("quickstart.json"))
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

    @Test("a description is recorded in the run's resolved config")
    func descriptionRecorded() throws {
        let configuration = try TrainingFixtures.configuration(#"{"description": "baseline, seed 7", "data": {"source": "shapes"}}"#)
        #expect(configuration.description == "baseline, seed 7")
        #expect(configuration.json["description"] == .string("baseline, seed 7"))
    }
}
