import Foundation
import Testing

/// `anneal compare` and `anneal compare merge` as a user and a cluster run them: separate processes, shards,
/// kills and reruns. Tiny trials (shapes, 16 hidden units, 3 latent dimensions, 3 epochs) keep it fast.
@Suite("anneal compare", .serialized)
struct CompareCommandTests {
    static let base = #"""
        {"data": {"source": "shapes", "validation_fraction": 0.2},
         "model": {"type": "vae", "hidden_sizes": [16], "latent_dim": 3},
         "training": {"num_epochs": 3, "batch_size": 64, "learning_rate": 0.003, "checkpoint_every": 1}}
        """#
    /// Two schedules × two seeds: four trials.
    static let comparison = ["--schedules", "linear", "cyclical", "--seeds", "2"]

    static func compare(_ config: URL, out: String, _ extra: [String] = []) throws -> AnnealProcess.Result {
        try AnnealProcess.run(["compare", "--config", config.path] + comparison + ["--out", out] + extra)
    }

    /// Every trial folder's history events, by trial id.
    static func histories(_ out: String) throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for id in try FileManager.default.contentsOfDirectory(atPath: out + "/trials") {
            let text = (try? String(contentsOfFile: out + "/trials/\(id)/history.jsonl", encoding: .utf8)) ?? ""
            result[id] = text.split(separator: "\n").compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["event"] as? String
            }
        }
        return result
    }

    /// A CSV file without the columns whose header is in `dropping` (times differ from run to run).
    static func csv(_ path: String, dropping: Set<String>) throws -> [[String]] {
        let rows = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let keep = rows[0].indices.filter { !dropping.contains(rows[0][$0]) }
        return rows.map { row in keep.map { row[$0] } }
    }

    static let timeColumns: Set<String> = ["seconds_mean", "seconds_sd", "seconds", "sessions"]

    /// Starts `anneal` in a process group of its own (so the test can kill it with everything it started).
    static func spawnGroup(_ arguments: [String], log: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        let argv = ([AnnealProcess.executable.path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, AnnealProcess.executable.path, &actions, &attributes, argv, environ)
        guard status == 0 else { throw CocoaError(.executableLoad) }
        return pid
    }

    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status
    }

    @Test("a comparison trains each trial once into its own folder, writes the tables, pages and TensorBoard runs; run again, it trains nothing")
    func runAndRerun() throws {
        let config = try AnnealProcess.writeConfig(Self.base)
        let out = try AnnealProcess.temporaryDirectory().appendingPathComponent("cmp").path
        let first = try Self.compare(config, out: out, ["--jobs", "2"])
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput.contains("comparing 2 groups × 2 seeds = 4 trials"))
        #expect(first.standardOutput.contains("| linear | 2 of 2 |") && first.standardOutput.contains("| cyclical | 2 of 2 |"))
        for name in ["plan.json", "comparison.md", "comparison.csv", "trials.csv", "comparison.html", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + name), "missing \(name)")
        }
        let histories = try Self.histories(out)
        #expect(histories.count == 4 && histories.values.allSatisfy { $0 == ["start", "finish"] }, "\(histories)")
        // One TensorBoard run per trial, with its hyperparameters for the HParams dashboard.
        for id in histories.keys {
            let files = try FileManager.default.contentsOfDirectory(atPath: out + "/trials/" + id)
            let events = try #require(files.first { $0.hasPrefix("events.out.tfevents.") })
            let bytes = try Data(contentsOf: URL(fileURLWithPath: out + "/trials/\(id)/" + events))
            #expect(bytes.range(of: Data("_hparams_/session_start_info".utf8)) != nil)
            #expect(files.contains("result.json") && files.contains("checkpoints"))
        }
        // The pages are strict HTML5 without scripts; the only link is comparison.html's to report.html beside it.
        if let html5Python {
            let checker = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/check_report.py").path
            for (page, links) in [("comparison.html", 1), ("report.html", 0)] {
                let check = try AnnealProcess.run(executable: URL(fileURLWithPath: html5Python), [checker, out + "/" + page])
                let verdict = try JSONSerialization.jsonObject(with: Data(check.standardOutput.utf8)) as? [String: Any]
                #expect(verdict?["valid"] as? Bool == true && verdict?["scripts"] as? Int == 0 && verdict?["external"] as? Int == links, "\(page): \(check.standardOutput)")
            }
        }
        // Readable links: runs/<schedule>-seed<s> → trials/<id>.
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: out + "/runs/cyclical-seed1").hasPrefix("../trials/"))

        let again = try Self.compare(config, out: out, ["--jobs", "2"])
        #expect(again.status == 0 && again.standardOutput.contains("4 already finished") && !again.standardOutput.contains("started"))
        #expect(try Self.histories(out) == histories)
        #expect(try Self.csv(out + "/trials.csv", dropping: []).count == 5)
    }

    @Test("three shards as separate processes, one killed with SIGKILL and rerun: every trial ran once and the merged table is the single-process one")
    func shardsKilledAndMerged() throws {
        let config = try AnnealProcess.writeConfig(Self.base)
        let root = try AnnealProcess.temporaryDirectory()
        let reference = root.appendingPathComponent("single").path
        #expect(try Self.compare(config, out: reference).status == 0)

        let out = root.appendingPathComponent("sharded").path
        var pids: [pid_t] = []
        for shard in 0..<3 {
            pids.append(try Self.spawnGroup(["compare", "--config", config.path] + Self.comparison + ["--out", out, "--shard", "\(shard)/3"],
                                            log: root.appendingPathComponent("shard\(shard).log").path))
        }
        // Kill shard 1 (it and its anneal train child) once its trial has a checkpoint and no result.
        let deadline = Date().addingTimeInterval(120)
        var killed: String?
        while killed == nil && Date() < deadline {
            for id in (try? FileManager.default.contentsOfDirectory(atPath: out + "/trials")) ?? [] {
                let directory = out + "/trials/" + id
                let history = (try? String(contentsOfFile: directory + "/history.jsonl", encoding: .utf8)) ?? ""
                if history.contains(#""shard":"1/3""#), FileManager.default.fileExists(atPath: directory + "/checkpoints/last.ckpt"),
                   !FileManager.default.fileExists(atPath: directory + "/result.json") {
                    kill(-pids[1], SIGKILL)
                    killed = id
                    break
                }
            }
            usleep(10_000)
        }
        let killedTrial = try #require(killed, "shard 1 never reached a checkpoint")
        #expect(Self.wait(pids[1]) & 0x7f == SIGKILL)
        #expect(Self.wait(pids[0]) == 0 && Self.wait(pids[2]) == 0)
        // The killed group's train process is gone too before the rerun.
        while kill(-pids[1], 0) == 0 { usleep(10_000) }

        // Merge now: the table from what finished, and the killed shard's trials listed as missing.
        let partial = try AnnealProcess.run(["compare", "merge", out])
        #expect(partial.status == 0 && partial.standardError.contains("trials finished; missing:"))
        #expect(partial.standardError.contains("\(killedTrial) ") && partial.standardError.contains("interrupted; resumes from its last checkpoint"))

        let rerun = try Self.compare(config, out: out, ["--shard", "1/3"])
        #expect(rerun.status == 0, "\(rerun.standardOutput)\(rerun.standardError)")
        #expect(rerun.standardOutput.contains("\(killedTrial) ") && rerun.standardOutput.contains("resuming from its last checkpoint"))
        let merged = try AnnealProcess.run(["compare", "merge", out])
        #expect(merged.status == 0 && merged.standardError.contains("all 4 trials finished"), "\(merged.standardError)")

        // Every trial started exactly once; the killed one resumed once.
        let histories = try Self.histories(out)
        #expect(histories.count == 4)
        for (id, events) in histories {
            #expect(events.filter { $0 == "start" }.count == 1 && events.filter { $0 == "finish" }.count == 1, "\(id): \(events)")
            #expect(events.contains("resume") == (id == killedTrial), "\(id): \(events)")
        }
        // The same numbers as one process computed, to the last digit.
        #expect(try Self.csv(out + "/comparison.csv", dropping: Self.timeColumns) == Self.csv(reference + "/comparison.csv", dropping: Self.timeColumns))
        #expect(try Self.csv(out + "/trials.csv", dropping: Self.timeColumns) == Self.csv(reference + "/trials.csv", dropping: Self.timeColumns))
        let table = { (path: String) throws -> String in
            let text = try String(contentsOfFile: path + "/comparison.md", encoding: .utf8)
            return String(text[text.range(of: "## Training dynamics, measured")!.lowerBound...])
        }
        #expect(try table(out) == table(reference))
    }

    @Test("two processes given the same shard never run a trial twice")
    func duplicateShards() throws {
        let config = try AnnealProcess.writeConfig(Self.base)
        let root = try AnnealProcess.temporaryDirectory()
        let out = root.appendingPathComponent("cmp").path
        let arguments = ["compare", "--config", config.path] + Self.comparison + ["--out", out, "--shard", "0/1"]
        let pids = try (0..<2).map { try Self.spawnGroup(arguments, log: root.appendingPathComponent("p\($0).log").path) }
        #expect(pids.map(Self.wait) == [0, 0])
        let histories = try Self.histories(out)
        #expect(histories.count == 4 && histories.values.allSatisfy { $0 == ["start", "finish"] }, "\(histories)")
        let logs = try (0..<2).map { try String(contentsOfFile: root.appendingPathComponent("p\($0).log").path, encoding: .utf8) }
        #expect(logs.allSatisfy { $0.contains("| linear | 2 of 2 |") || $0.contains("waiting for") })
        let merged = try AnnealProcess.run(["compare", "merge", out])
        #expect(merged.standardError.contains("all 4 trials finished"))
    }

    @Test("--dry-run prints every trial with its id and shard, and writes nothing")
    func dryRun() throws {
        let config = try AnnealProcess.writeConfig(Self.base)
        let out = try AnnealProcess.temporaryDirectory().appendingPathComponent("cmp").path
        let result = try AnnealProcess.run(["compare", "--config", config.path, "--schedules", "linear", "cosine", "cyclical", "--seeds", "3",
                                            "--out", out, "--shard", "1/4", "--dry-run"])
        #expect(result.status == 0, "\(result.standardError)")
        let rows = result.standardOutput.split(separator: "\n").filter { $0.range(of: #"^[0-9a-f]{16}  "#, options: .regularExpression) != nil }
        #expect(rows.count == 9)
        #expect(rows.filter { $0.contains("/4*") }.count == 2 || rows.filter { $0.contains("/4*") }.count == 3)
        #expect(result.standardOutput.contains("shard 1/4 (--shard) runs the"))
        #expect(!FileManager.default.fileExists(atPath: out))
        // The same command computes the same ids.
        let again = try AnnealProcess.run(["compare", "--config", config.path, "--schedules", "linear", "cosine", "cyclical", "--seeds", "3",
                                           "--out", out, "--shard", "1/4", "--dry-run"])
        #expect(again.standardOutput == result.standardOutput)
    }

    @Test("a bad flag is one line naming the flag, the value and what is allowed, with exit status 64", arguments: [
        (["--schedules", "linaer"], "--schedules: unknown schedule \"linaer\" (did you mean 'linear'?)"),
        (["--schedules", "linear", "--seeds", "0"], "--seeds must be at least 1, got 0"),
        (["--schedules", "linear", "--jobs", "0"], "--jobs must be at least 1, got 0"),
        (["--schedules", "linear", "--shard", "4/4"], "--shard 4/4: the index must be below the count"),
        (["--schedules", "linear", "--shard", "two"], "--shard two: expected I/N"),
        (["--schedules", "linear", "--shard", "slurm"], "--shard slurm: SLURM_ARRAY_TASK_ID is not set"),
        (["--schedules", "linear", "--shard", "kubernetes/3"], "--shard kubernetes/3: JOB_COMPLETION_INDEX is not set"),
        (["--schedules", "linear", "--set", "training.learning_rat=0.1"], "--set training.learning_rat=0.1: training.learning_rat: unknown key"),
        (["--schedules", "linear", "--set", "training.learning_rate=0,1"], "--set training.learning_rate=0: training.learning_rate: must be greater than 0"),
        (["--schedules", "linear", "--array-indices", "1,3"], "--array-indices applies to --shard slurm only"),
    ])
    func badFlags(arguments: [String], expected: String) throws {
        let config = try AnnealProcess.writeConfig(Self.base)
        let result = try AnnealProcess.run(["compare", "--config", config.path, "--dry-run"] + arguments)
        #expect(result.status == 64)
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("Error: " + expected), "\(result.standardError)")
        #expect(result.standardOutput.isEmpty)
    }

    @Test("merge of a folder that is not a comparison says so")
    func mergeNotAComparison() throws {
        let directory = try AnnealProcess.temporaryDirectory()
        let result = try AnnealProcess.run(["compare", "merge", directory.path])
        #expect(result.status == 1 && result.standardError.contains("is not a folder written by anneal compare"))
    }
}
