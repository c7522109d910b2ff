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
        // Evaluated per step, the capacity is recorded at its epoch mean, with its first and last steps' values:
        // epoch 3 runs C = 3.0, 3.1, …, 3.9, mean 3.45.
        #expect(metrics.count == 4 && metrics[3].contains(#""beta_start":{"capacity":3}"#) && metrics[3].contains(#""beta_end":{"capacity":3.9"#)
                && !metrics[3].contains(#""beta":"#), "\(metrics[3])")
        let mean = try #require((try JSONSerialization.jsonObject(with: Data(metrics[3].utf8)) as? [String: Any])?["beta_mean"] as? [String: Double])
        #expect(abs(mean["capacity"]! - 3.45) < 1e-12)
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

    @Test("a folder whose run stopped before its first checkpoint: a new start there points to --resume, and --resume starts it again from epoch 0, equal to a straight run")
    func noCheckpointYet() throws {
        let configuration = try TrainingFixtures.configuration(TrainingFixtures.small("vae", epochs: 3))
        let directory = TrainingFixtures.temporaryDirectory() + "/run"
        // Stopped inside the first epoch and its checkpoint removed: as a run killed before its first save.
        _ = try TrainingRun.start(configuration, in: directory).run { true }
        try FileManager.default.removeItem(atPath: directory + "/checkpoints")
        #expect { _ = try TrainingRun.start(configuration, in: directory) } throws: { error in
            let message = (error as? TrainingError)?.message ?? ""
            return message.contains("stopped before its first checkpoint; anneal train --resume \(directory) starts it again from epoch 0") && !message.contains("rm -r")
        }
        let restarted = try TrainingRun.resume(directory)
        #expect(restarted.warnings.contains { $0.contains("stopped before its first checkpoint was written, in epoch 0: nothing was saved, so it starts again from epoch 0") })
        #expect(try restarted.run().outcome == .completed)
        let straight = TrainingFixtures.temporaryDirectory() + "/straight"
        _ = try TrainingRun.start(configuration, in: straight).run()
        let metrics = { (folder: String) throws -> [String] in
            try String(contentsOfFile: folder + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
                .map { $0.replacingOccurrences(of: #""seconds":[0-9.e+-]+"#, with: "", options: .regularExpression) }
        }
        #expect(try metrics(directory) == metrics(straight))
    }

    @Test("--resume continues from best.ckpt when last.ckpt is missing or damaged, says so and from which epoch, records it, and ends equal to the uninterrupted run")
    func resumeFromBest() throws {
        let configuration = try TrainingFixtures.configuration(TrainingFixtures.small("vae", epochs: 4))
        let straight = TrainingFixtures.temporaryDirectory() + "/straight"
        _ = try TrainingRun.start(configuration, in: straight).run()
        for damage in ["missing", "damaged"] {
            let directory = TrainingFixtures.temporaryDirectory() + "/run"
            // Stopped inside epoch 2, then last.ckpt lost: best.ckpt holds an earlier epoch's whole state.
            let first = try TrainingRun.start(configuration, in: directory)
            var steps = 0
            let stopAt = 2 * first.trainer.stepsPerEpoch + 1
            #expect(try first.run { steps += 1; return steps >= stopAt }.outcome == .interrupted)
            let best = try Checkpoint.read(directory + "/checkpoints/best.ckpt")
            if damage == "missing" {
                try FileManager.default.removeItem(atPath: directory + "/checkpoints/last.ckpt")
            } else {
                var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/checkpoints/last.ckpt")))
                bytes[bytes.count / 2] ^= 0xFF
                try Data(bytes).write(to: URL(fileURLWithPath: directory + "/checkpoints/last.ckpt"))
            }
            let run = try TrainingRun.resume(directory)
            let expected = damage == "missing" ? "checkpoints/last.ckpt is missing" : "checkpoints/last.ckpt is damaged or truncated (checksum mismatch)"
            #expect(run.warnings.contains { $0.hasPrefix(expected) && $0.contains("continuing from checkpoints/best.ckpt, saved after epoch \(best.state.epoch - 1)") }, "\(run.warnings)")
            #expect(run.trainer.epoch == best.state.epoch)
            let summary = try run.run().summary
            #expect(summary.changes.contains { $0.contains("continuing from checkpoints/best.ckpt") })
            let metrics = { (folder: String) throws -> [String] in
                try String(contentsOfFile: folder + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
                    .map { $0.replacingOccurrences(of: #""seconds":[0-9.e+-]+"#, with: "", options: .regularExpression) }
            }
            #expect(try metrics(directory) == metrics(straight), "\(damage)")
            #expect(try Checkpoint.read(directory + "/checkpoints/last.ckpt").tensors == Checkpoint.read(straight + "/checkpoints/last.ckpt").tensors)
        }
    }

    @Test("a folder whose checkpoints are all damaged is refused naming each problem, never advised to be deleted; one with no checkpoint starts again")
    func nothingToResume() throws {
        let configuration = try TrainingFixtures.configuration(TrainingFixtures.small("vae", epochs: 2))
        let directory = TrainingFixtures.temporaryDirectory() + "/run"
        _ = try TrainingRun.start(configuration, in: directory).run()
        for name in ["last.ckpt", "best.ckpt"] { try Data("not a checkpoint".utf8).write(to: URL(fileURLWithPath: directory + "/checkpoints/" + name)) }
        #expect { _ = try TrainingRun.resume(directory) } throws: { error in
            let message = (error as? TrainingError)?.message ?? ""
            return message.contains("checkpoints/last.ckpt is not an anneal checkpoint, and checkpoints/best.ckpt is not an anneal checkpoint")
                && message.contains("anneal train --config \(directory)/config.json --out NEW_FOLDER") && !message.contains("rm ")
        }
        // No checkpoint at all after two recorded epochs: it starts again, and says the epochs are trained again.
        try FileManager.default.removeItem(atPath: directory + "/checkpoints")
        let again = try TrainingRun.resume(directory)
        #expect(again.warnings.contains { $0.contains("(after 2 epochs recorded in metrics.jsonl, which are trained again)") }, "\(again.warnings)")
    }

    @Test("a new run is never written among a user's files: an empty --out, a file, or a folder holding other files is refused with the reason")
    func foreignFolders() throws {
        let configuration = try TrainingFixtures.configuration(TrainingFixtures.small("vae", epochs: 1))
        #expect { _ = try TrainingRun.start(configuration, in: "") } throws: { error in
            (error as? TrainingError)?.message.contains("the run folder's path is empty") == true
        }
        let folder = TrainingFixtures.temporaryDirectory() + "/thesis"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data("chapter 1".utf8).write(to: URL(fileURLWithPath: folder + "/draft.tex"))
        #expect { _ = try TrainingRun.start(configuration, in: folder) } throws: { error in
            (error as? TrainingError)?.message == "\(folder) already exists and holds files that are not an anneal run (draft.tex); anneal writes a run into a new or empty folder and never among other files: choose another --out"
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["draft.tex"])
        #expect { _ = try TrainingRun.start(configuration, in: folder + "/draft.tex") } throws: { error in
            (error as? TrainingError)?.message.contains("is a file, not a folder") == true
        }
        // An empty folder (made by a job script) is fine.
        let empty = TrainingFixtures.temporaryDirectory() + "/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        #expect(try TrainingRun.start(configuration, in: empty).run().outcome == .completed)
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

    @Test("checkpoint_every_minutes writes last.ckpt inside epochs once the time has passed, and changes no number")
    func checkpointsOnTime() throws {
        let plain = try TrainingFixtures.configuration(TrainingFixtures.small(epochs: 2))
        let often = try TrainingFixtures.configuration(TrainingFixtures.small(epochs: 2, extra: #", "checkpoint_every_minutes": 1e-9"#))
        let a = TrainingFixtures.temporaryDirectory() + "/plain", b = TrainingFixtures.temporaryDirectory() + "/often"
        let runA = try TrainingRun.start(plain, in: a), runB = try TrainingRun.start(often, in: b)
        _ = try runA.run()
        _ = try runB.run()
        let steps = runB.trainer.stepsPerEpoch
        // Every step but each epoch's last, and each epoch's own last.ckpt and any best.ckpt.
        #expect(runB.trainer.checkpointsWritten >= 2 * (steps - 1) + 2 && runA.trainer.checkpointsWritten <= 4, "\(runB.trainer.checkpointsWritten), \(runA.trainer.checkpointsWritten)")
        let metrics = { (folder: String) throws -> [String] in
            try String(contentsOfFile: folder + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
                .map { $0.replacingOccurrences(of: #""seconds":[0-9.e+-]+"#, with: "", options: .regularExpression) }
        }
        #expect(try metrics(a) == metrics(b))
    }
}
