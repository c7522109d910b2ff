import Foundation
import Testing

@Suite("anneal train")
struct TrainCommandTests {
    static let quick = #"""
    {"data": {"source": "shapes", "validation_fraction": 0.2},
     "model": {"type": "cvae", "hidden_sizes": [32], "latent_dim": 4},
     "training": {"num_epochs": 3, "batch_size": 64, "learning_rate": 0.003, "checkpoint_every": 1}}
    """#

    @Test("a short run writes config, metrics, checkpoints and summary, and prints readable numbers")
    func run() throws {
        let config = try AnnealProcess.writeConfig(Self.quick)
        let out = try AnnealProcess.temporaryDirectory().appendingPathComponent("run").path
        let result = try AnnealProcess.run(["train", "--config", config.path, "--out", out])
        #expect(result.status == 0, "\(result.standardError)")
        // The record goes to standard output: the banner, one line per epoch (0-based), the ending and the numbers.
        #expect(result.standardOutput.contains("training cvae") && result.standardOutput.contains("epoch 2 (3 of 3)"))
        #expect(result.standardOutput.contains("Completed 3 epochs") && result.standardOutput.contains("validation ELBO"))
        #expect(!result.standardError.contains("epoch 2 (3 of 3)"))  // standard error holds only warnings and the live bar
        for file in ["config.json", "metrics.jsonl", "summary.json", "checkpoints/last.ckpt", "checkpoints/best.ckpt"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "missing \(file)")
        }
        let lines = try String(contentsOfFile: out + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        for key in ["epoch", "loss", "reconstruction", "kl", "learning_rate", "validation_elbo", "active_units", "kl_per_dimension"] {
            #expect(first?[key] != nil, "metrics line lacks \(key)")
        }
        // The default β is evaluated per step here (4 cycles over 3 epochs): recorded as its epoch mean, named so.
        #expect(first?["beta"] == nil && first?["beta_mean"] != nil && first?["beta_start"] != nil && first?["beta_end"] != nil)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as? [String: Any]
        #expect(summary?["status"] as? String == "completed" && summary?["epochs"] as? Int == 3)
        // Training again into the same folder is refused rather than mixing two runs.
        let again = try AnnealProcess.run(["train", "--config", config.path, "--out", out])
        #expect(again.status == 1 && again.standardError.contains("already holds a run; continue it with --resume"))
        // Resuming a finished run says so and trains nothing: the summary stays as the run left it.
        let summaryBefore = try Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))
        let finished = try AnnealProcess.run(["train", "--resume", out])
        #expect(finished.status == 0 && finished.standardOutput.contains("has already trained all its 3 epochs; nothing to do") && !finished.standardOutput.contains("Completed"),
                "\(finished.standardOutput)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/summary.json")) == summaryBefore)
        #expect(!FileManager.default.fileExists(atPath: out + "/run.lock"))
        // An empty --out names no folder; a folder of the user's files is never written into.
        let empty = try AnnealProcess.run(["train", "--config", config.path, "--out", ""])
        #expect(empty.status == 1 && empty.standardError.contains("the run folder's path is empty"), "\(empty.standardError)")
        let home = try AnnealProcess.temporaryDirectory().path
        try "notes".write(toFile: home + "/notes.txt", atomically: true, encoding: .utf8)
        let foreign = try AnnealProcess.run(["train", "--config", config.path, "--out", home])
        #expect(foreign.status == 1 && foreign.standardError.contains("holds files that are not an anneal run (notes.txt)"), "\(foreign.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: home) == ["notes.txt"])
    }

    @Test("standard output closed by its reader (anneal train … | head) does not kill the run: it completes, says so once, writes its files")
    func closedPipe() throws {
        let config = try AnnealProcess.writeConfig(Self.quick)
        let out = try AnnealProcess.temporaryDirectory().appendingPathComponent("run").path
        let pipe = Pipe(), errors = Pipe()
        try pipe.fileHandleForReading.close()  // the reader is gone before anneal writes its first line
        let process = Process()
        process.executableURL = AnnealProcess.executable
        process.arguments = ["train", "--config", config.path, "--out", out]
        process.standardOutput = pipe
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // Killed by SIGPIPE the status would be the signal (13) and the folder would hold no summary.
        #expect(process.terminationReason == .exit && process.terminationStatus == 0, "\(process.terminationStatus): \(message)")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as? [String: Any]
        #expect(summary?["status"] as? String == "completed")
        #expect(message.components(separatedBy: "cannot write to standard output").count == 2, "\(message)")
    }

    @Test("Ctrl-C saves a checkpoint at the current step and exits 130; --resume finishes the same run as an uninterrupted one")
    func interruptAndResume() throws {
        // A β schedule that does not depend on num_epochs, so runs of different lengths share their first epochs.
        let config = try AnnealProcess.writeConfig(#"""
            {"data": {"source": "shapes", "validation_fraction": 0.2},
             "model": {"type": "cvae", "hidden_sizes": [32], "latent_dim": 4},
             "training": {"num_epochs": 400, "beta_scheduler_type": "cyclical", "beta_scheduler_params": {"cycle_length": 4},
                          "batch_size": 64, "learning_rate": 0.003, "checkpoint_every": 1}}
            """#)
        let base = try AnnealProcess.temporaryDirectory()
        let out = base.appendingPathComponent("interrupted").path
        let process = Process()
        process.executableURL = AnnealProcess.executable
        process.arguments = ["train", "--config", config.path, "--out", out, "--epochs", "400"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && !FileManager.default.fileExists(atPath: out + "/metrics.jsonl") { usleep(20_000) }
        usleep(300_000)
        process.interrupt()
        // Never let a missed signal turn this into a 400-epoch run.
        let stopBy = Date().addingTimeInterval(30)
        while process.isRunning && Date() < stopBy { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            Issue.record("anneal train did not stop within 30 s of SIGINT")
            return
        }
        #expect(process.terminationStatus == 130)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as? [String: Any]
        #expect(summary?["status"] as? String == "interrupted")
        let stoppedAt = summary?["epochs"] as? Int ?? 0
        #expect(stoppedAt < 400)

        // Resume to a short total and compare with a straight run of the same total. Both read the same
        // config and --epochs, so their schedules are identical.
        let total = stoppedAt + 2
        let resumed = try AnnealProcess.run(["train", "--resume", out, "--epochs", String(total)])
        #expect(resumed.status == 0, "\(resumed.standardError)")
        #expect(resumed.standardOutput.contains("resuming"))
        let straightOut = base.appendingPathComponent("straight").path
        let straight = try AnnealProcess.run(["train", "--config", config.path, "--out", straightOut, "--epochs", String(total)])
        #expect(straight.status == 0)
        let a = try Data(contentsOf: URL(fileURLWithPath: out + "/metrics.jsonl")), b = try Data(contentsOf: URL(fileURLWithPath: straightOut + "/metrics.jsonl"))
        func withoutTimes(_ data: Data) -> [String] {
            String(decoding: data, as: UTF8.self).split(separator: "\n").map { $0.replacingOccurrences(of: #""seconds":[0-9.e-]+"#, with: "", options: .regularExpression) }
        }
        #expect(withoutTimes(a) == withoutTimes(b), "the resumed run's metrics differ from the straight run's")
    }

    @Test("bad input: clear errors, right exit status, nothing half-written")
    func badInput() throws {
        let missing = try AnnealProcess.run(["train"])
        #expect(missing.status == 64 && missing.standardError.contains("give --config FILE, or --resume RUN_DIR"))
        let both = try AnnealProcess.run(["train", "--config", "a.json", "--resume", "b"])
        #expect(both.status == 64)
        let noData = try AnnealProcess.writeConfig(#"{"data": {"source": "npy", "path": "nowhere.npy"}}"#)
        let result = try AnnealProcess.run(["train", "--config", noData.path, "--out", noData.deletingLastPathComponent().appendingPathComponent("r").path])
        #expect(result.status == 1)
        #expect(result.standardError.hasPrefix("Error: ") && result.standardError.contains("nowhere.npy: no such file"))
        #expect(!result.standardError.contains("Stack dump") && !result.standardError.contains("Fatal error"))
        let typo = try AnnealProcess.writeConfig(#"{"data": {"source": "shapes"}, "model": {"latent_dims": 4}}"#)
        let typoResult = try AnnealProcess.run(["train", "--config", typo.path])
        #expect(typoResult.status == 1 && typoResult.standardError.contains("model.latent_dims: unknown key for the model section; did you mean 'latent_dim'?"))
        let noRun = try AnnealProcess.run(["train", "--resume", "/no/such/run"])
        #expect(noRun.status == 1 && noRun.standardError.contains("/no/such/run is not a run folder: it has no config.json"))
    }

    @Test("bad flags say what is wrong: negative numbers, too many threads, --seed with --resume, a folder that cannot be made")
    func badFlags() throws {
        let config = try AnnealProcess.writeConfig(Self.quick)
        for (flag, value, message) in [("--epochs", "-1", "--epochs must be at least 1, got -1"), ("--seed", "-1", "--seed must be ≥ 0, got -1"),
                                       ("--threads", "-2", "--threads must be at least 1, got -2"),
                                       ("--threads", "1000", "--threads 1000 is more than this machine's")] {
            let result = try AnnealProcess.run(["train", "--config", config.path, flag, value])
            #expect(result.status == 64 && result.standardError.contains(message), "\(flag) \(value): \(result.standardError)")
        }
        let seedOnResume = try AnnealProcess.run(["train", "--resume", "somewhere", "--seed", "3"])
        #expect(seedOnResume.status == 64 && seedOnResume.standardError.contains("--seed does not apply to --resume"))
        // --out under a file: the reason in words, not a Foundation error code.
        let base = try AnnealProcess.temporaryDirectory()
        let file = base.appendingPathComponent("afile").path
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        let blocked = try AnnealProcess.run(["train", "--config", config.path, "--out", file + "/run"])
        #expect(blocked.status == 1 && blocked.standardError == "Error: cannot write \(file)/run: \(file) is a file, not a folder\n", "\(blocked.standardError)")
    }

    @Test("a run that completes with a nonsense result (learning rate 1e6) says so on its last line and in summary.json, and exits 2, not 0")
    func nonsenseResult() throws {
        let config = try AnnealProcess.writeConfig(#"{"data": {"source": "shapes"}, "model": {"type": "vae", "hidden_sizes": [256]}, "training": {"num_epochs": 4, "learning_rate": 1e6}}"#)
        let out = config.deletingLastPathComponent().appendingPathComponent("run").path
        let result = try AnnealProcess.run(["train", "--config", config.path, "--out", out])
        #expect(result.status == 2, "\(result.standardOutput)")
        #expect(result.standardOutput.contains("Completed 4 epochs, but its result is nonsense: its "), "\(result.standardOutput)")
        #expect(result.standardOutput.contains("where a model that ignores its input scores"))
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as? [String: Any]
        #expect((summary?["problems"] as? [String])?.isEmpty == false && (summary?["ending"] as? String)?.contains("nonsense") == true)
        // Huge numbers are printed in scientific form, not as 23-digit integers.
        #expect(result.standardOutput.range(of: #"[0-9]{12}\."#, options: .regularExpression) == nil, "\(result.standardOutput)")
    }

    @Test("one example: the start and the end say there is no validation and no best.ckpt; a feature constant in the data comes back from sample as that constant")
    func singleExampleAndConstants() throws {
        let folder = try AnnealProcess.temporaryDirectory()
        try "a,b,c\n3.5,1.25,2.5\n3.5,0.5,1.75\n3.5,2.25,0.5\n".write(to: folder.appendingPathComponent("const.csv"), atomically: true, encoding: .utf8)
        let config = folder.appendingPathComponent("run.json")
        try #"{"data": {"path": "const.csv", "standardize": true, "validation_fraction": 0}, "training": {"num_epochs": 2}}"#.write(to: config, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("run").path
        let result = try AnnealProcess.run(["train", "--config", config.path, "--out", out])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("no validation example, so there is no validation ELBO to choose best.ckpt"))
        #expect(result.standardOutput.contains("no validation example, so no validation ELBO and no best.ckpt: sample, evaluate and export use checkpoints/last.ckpt"))
        let sample = try AnnealProcess.run(["sample", out, "--count", "5", "--output", out + "/s.npy"])
        #expect(sample.status == 0 && sample.standardError.contains("1 feature holds one value in every example of the run's data (feature 0 = 3.5)"), "\(sample.standardError)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: out + "/s.npy"))
        let values = bytes.suffix(5 * 3 * 4).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        #expect(stride(from: 0, to: 15, by: 3).allSatisfy { values[$0] == 3.5 }, "\(values)")
    }
}
