import Foundation
import JSONConfig
import RunLog
import Schedules
import Testing
@testable import Training

@Suite("Training runs")
struct TrainingRunTests {
    static let capacity = TrainingFixtures.small("vae", epochs: 4, extra: #", "capacity": {"gamma": 50, "schedule": {"type": "linear", "max_beta": 4, "warmup_epochs": 4}}"#)

    @Test("a capacity-annealing run writes a config that reads back, resumes exactly, reports, and logs the capacity it uses")
    func capacityRun() throws {
        let configuration = try TrainingFixtures.configuration(Self.capacity)
        // config.json reads back: no β schedule is written for a run whose KL terms capacity annealing shapes.
        let again = try RunConfiguration.parse(try JSONParser.parse(JSONWriter.pretty(configuration.json)))
        #expect(again.json == configuration.json && configuration.json["training"]?["beta_scheduler_type"] == nil)

        let straight = try TrainingRun.start(configuration, in: TrainingFixtures.temporaryDirectory() + "/straight")
        #expect(try straight.run().outcome == .completed)
        let directory = TrainingFixtures.temporaryDirectory() + "/resumed"
        let first = try TrainingRun.start(configuration, in: directory)
        #expect(try first.run { first.trainer.epoch >= 2 }.outcome == .interrupted)
        let resumed = try TrainingRun.resume(directory)
        #expect(try resumed.run().outcome == .completed)
        #expect(resumed.trainer.model.parameters.map { $0.tensor.tensor.scalars } == straight.trainer.model.parameters.map { $0.tensor.tensor.scalars })
        #expect(resumed.warnings.isEmpty)
        #expect(FileManager.default.fileExists(atPath: directory + "/report.html"))
        // The batch log shows the capacity C(t) the step used, not an unused β.
        let events = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.contains("tfevents") }
        let scalars = try events.flatMap { try EventFileReader.scalars(directory + "/" + $0) }
        #expect(!scalars.contains { $0.tag == "Batch/Beta" })
        let capacities = scalars.filter { $0.tag == "Batch/Capacity" }
        // 4 epochs × 10 steps (614 examples in batches of 64); C at step s of epoch e is 4·(e + s/10)/4.
        #expect(capacities.count == 40)
        #expect(capacities.first { $0.step == 13 }?.value == Float(1.3))
        let metrics = try String(contentsOfFile: directory + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(metrics.count == 4 && metrics[3].contains(#""beta":{"capacity":3}"#))
    }

    @Test("a report that cannot be written is a warning the user sees, not silence")
    func reportWarning() throws {
        let configuration = try TrainingFixtures.configuration(TrainingFixtures.small("vae", epochs: 1))
        let directory = TrainingFixtures.temporaryDirectory() + "/run"
        let run = try TrainingRun.start(configuration, in: directory)
        // A folder where report.html should go makes writing it fail.
        try FileManager.default.createDirectory(atPath: directory + "/report.html", withIntermediateDirectories: true)
        _ = try run.run()
        #expect(run.warnings.count == 1 && run.warnings[0].hasPrefix("report.html was not written: cannot write"), "\(run.warnings)")
    }

    @Test("a new run refuses a folder that holds one; resume continues it")
    func folderHoldsARun() throws {
        let configuration = try TrainingFixtures.configuration(TrainingFixtures.small("vae", epochs: 1))
        let directory = TrainingFixtures.temporaryDirectory() + "/run"
        _ = try TrainingRun.start(configuration, in: directory).run()
        #expect { try TrainingRun.start(configuration, in: directory) } throws: { error in
            (error as? TrainingError)?.message.contains("already holds a run; continue it with --resume") == true
        }
        let resumed = try TrainingRun.resume(directory, epochs: 2)
        #expect(try resumed.run().summary.epochs == 2)
        // A run is never shortened: --epochs below what it trained is refused, and config.json keeps 2.
        #expect { _ = try TrainingRun.resume(directory, epochs: 1) } throws: { error in
            (error as? TrainingError)?.message.contains("--epochs 1 is fewer than the 2 epochs") == true
        }
        #expect(try RunConfiguration.load(file: directory + "/config.json").training.numEpochs == 2)
    }

    @Test("a folder whose run stopped before its first checkpoint says how to start again, both ways")
    func noCheckpointYet() throws {
        let configuration = try TrainingFixtures.configuration(TrainingFixtures.small("vae", epochs: 3))
        let directory = TrainingFixtures.temporaryDirectory() + "/run"
        // Stopped inside the first epoch and its checkpoint removed: as a run killed before its first save.
        _ = try TrainingRun.start(configuration, in: directory).run { true }
        try FileManager.default.removeItem(atPath: directory + "/checkpoints")
        #expect { _ = try TrainingRun.start(configuration, in: directory) } throws: { error in
            (error as? TrainingError)?.message.contains("stopped before its first checkpoint, so nothing in it can be resumed; delete the folder (rm -r \(directory))") == true
        }
        #expect { _ = try TrainingRun.resume(directory) } throws: { error in
            (error as? TrainingError)?.message.contains("delete the folder (rm -r \(directory)) and run anneal train --config") == true
        }
    }

    @Test("a missing test file is an error when the run starts, not after training")
    func missingTestFile() throws {
        let directory = TrainingFixtures.temporaryDirectory()
        try (["a,b"] + (0..<20).map { "\($0 % 2),0.5" }).joined(separator: "\n").write(toFile: directory + "/a.csv", atomically: true, encoding: .utf8)
        let configuration = try RunConfiguration.parse(try JSONParser.parse(#"{"data": {"path": "a.csv", "test_path": "gone.csv"}}"#), file: directory + "/run.json")
        #expect { _ = try TrainingRun.start(configuration, in: directory + "/run") } throws: { error in
            (error as? TrainingError)?.message == "\(directory)/gone.csv: no such file (data.test_path); the test file is read only by anneal evaluate --split test, but it must exist when the run starts"
        }
        #expect(!FileManager.default.fileExists(atPath: directory + "/run/config.json"))
    }
}
