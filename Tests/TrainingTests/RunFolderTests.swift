import Foundation
import JSONConfig
import Testing
@testable import Training

/// What a run folder guarantees: one writer at a time, a resume that continues exactly the run it holds (or
/// says what changed), and an honest record of how the run ended.
@Suite("Run folders")
struct RunFolderTests {
    static func start(_ text: String = TrainingFixtures.small("vae", epochs: 2), in directory: String = TrainingFixtures.temporaryDirectory() + "/run") throws -> TrainingRun {
        try TrainingRun.start(try TrainingFixtures.configuration(text), in: directory)
    }

    @Test("a second training in a folder that is in use is refused, naming the owner; the lock goes when the run ends")
    func twoWriters() throws {
        let first = try Self.start()
        #expect { try TrainingRun.resume(first.directory) } throws: { error in
            (error as? TrainingError)?.message.contains("is in use by another anneal train: process \(getpid()) on \(RunFolderLock.hostName())") == true
        }
        _ = try first.run()
        #expect(!FileManager.default.fileExists(atPath: first.directory + "/run.lock"))
        #expect(try TrainingRun.resume(first.directory, epochs: 3).run().outcome == .completed)
    }

    @Test("locks taken at the same moment: exactly one wins, every time (the lock file appears already locked and filled in)")
    func simultaneousLocks() throws {
        // Two anneal trains started together reach the lock within microseconds of each other. The lock used to
        // be created empty and then locked and filled in: a second process in between found an unlocked lock with
        // no owner, took it over as "an unreadable lock", and both trained in the folder. And a dead run's lock
        // was taken over by deleting it: two processes taking it over at once could each delete the other's new
        // lock. (Before the fix every run of this test found rounds with two or three holders, in both halves.)
        let contenders = 4
        final class Race: @unchecked Sendable {
            let guardLock = NSLock()
            var ready = 0, held: [RunFolderLock] = [], refusals: [String] = []
            func locked<T>(_ body: (Race) -> T) -> T { guardLock.lock(); defer { guardLock.unlock() }; return body(self) }
        }
        for round in 0..<200 {
            let directory = TrainingFixtures.temporaryDirectory() + "/run"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            if round % 2 == 1 {
                // A lock left by a killed run (PID 2^22 + 7, above Linux's pid_max), which every contender wants to take over.
                try #"{"host": "\#(RunFolderLock.hostName())", "pid": 4194311, "started": "2026-01-01T00:00:00Z", "command": "anneal train"}"#
                    .write(toFile: directory + "/run.lock", atomically: true, encoding: .utf8)
            }
            let race = Race()
            for _ in 0..<contenders {
                Thread {
                    race.locked { $0.ready += 1 }
                    while race.locked({ $0.ready }) < contenders { sched_yield() }
                    do {
                        let lock = try RunFolderLock(directory: directory)
                        race.locked { $0.held.append(lock) }
                    } catch {
                        race.locked { $0.refusals.append((error as? TrainingError)?.message ?? "\(error)") }
                    }
                }.start()
            }
            while race.locked({ $0.held.count + $0.refusals.count }) < contenders { usleep(100) }
            let (winners, messages) = race.locked { ($0.held.count, $0.refusals) }
            race.locked { for lock in $0.held { lock.release() } }
            try #require(winners == 1, "\(winners) of \(contenders) took the lock at once: \(messages)")
            // Each refusal names the live owner, or says that another process is taking the dead one's lock over.
            // (Threads of one process under heavy load also see two other refusals, both still refusals with one
            // winner: giving up after three attempts ("keeps reappearing"), or an owner record they could not parse
            // at that moment ("cannot be read"). Across processes the fault suite checks the owner is named.)
            #expect(messages.allSatisfy { $0.contains("is in use by another anneal train: process \(getpid())") || $0.contains("which is taking over")
                || $0.contains("keeps reappearing; another process is starting in this folder") || $0.contains("is in use by another anneal train (its lock") }, "\(messages)")
        }
    }

    @Test("a lock left by a dead process on this host is taken over and said; another host's fresh lock is refused, a stale one taken over")
    func staleLocks() throws {
        let directory = TrainingFixtures.temporaryDirectory() + "/run"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // PID 2^22 + 7 is above Linux's pid_max by default: certainly not running.
        try #"{"host": "\#(RunFolderLock.hostName())", "pid": 4194311, "started": "2026-01-01T00:00:00Z", "command": "anneal train"}"#
            .write(toFile: directory + "/run.lock", atomically: true, encoding: .utf8)
        let run = try Self.start(in: directory)
        #expect(run.warnings.contains { $0.contains("took over \(directory)/run.lock, left by process 4194311 on \(RunFolderLock.hostName())") })
        run.lock.release()

        let other = TrainingFixtures.temporaryDirectory() + "/run"
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        try #"{"host": "node-17.cluster", "pid": 1234, "started": "2026-01-01T00:00:00Z", "command": "anneal train"}"#
            .write(toFile: other + "/run.lock", atomically: true, encoding: .utf8)
        #expect { try Self.start(in: other) } throws: { error in
            (error as? TrainingError)?.message.contains("process 1234 on node-17.cluster") == true && (error as? TrainingError)?.message.contains("if that run is gone, delete") == true
        }
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: other + "/run.lock")
        let taken = try Self.start(in: other)
        #expect(taken.warnings.contains { $0.contains("left by process 1234 on node-17.cluster") })
    }

    @Test("a killed owner that its parent has not reaped yet (a zombie, which kill(pid, 0) still finds) is taken over at once, not called alive")
    func zombieOwner() throws {
        // A shell starts `sleep 0` in the background, prints its pid and becomes `sleep 30` (exec), which never
        // waits: once `sleep 0` exits it stays a zombie, a child of that process, not of this one (whose own
        // SIGCHLD would interrupt reads elsewhere in the test process).
        let parent = Process()
        parent.executableURL = URL(fileURLWithPath: "/bin/sh")
        parent.arguments = ["-c", "sleep 0 & echo $!; exec sleep 30"]
        let pipe = Pipe()
        parent.standardOutput = pipe
        try parent.run()
        defer { parent.terminate() }
        var line = ""
        while !line.hasSuffix("\n") {
            let byte = pipe.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty { break }
            line += String(decoding: byte, as: UTF8.self)
        }
        let pid = try #require(pid_t(line.trimmingCharacters(in: .whitespacesAndNewlines)))
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.contains(") Z") != true { usleep(1000) }
        #expect(kill(pid, 0) == 0, "the zombie is still found by kill(pid, 0)")
        #expect(!RunFolderLock.processIsRunning(pid))
        #expect(RunFolderLock.processIsRunning(getpid()))
        let directory = TrainingFixtures.temporaryDirectory() + "/run"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try #"{"host": "\#(RunFolderLock.hostName())", "pid": \#(pid), "started": "2026-01-01T00:00:00Z", "command": "anneal train"}"#
            .write(toFile: directory + "/run.lock", atomically: true, encoding: .utf8)
        #expect(RunFolderLock.holder(of: directory) == .gone("process \(pid) is gone"))
        let lock = try RunFolderLock(directory: directory)
        #expect(lock.tookOver?.contains("process \(pid)") == true)
        lock.release()
    }

    @Test("resume refuses an edited config, naming each change, unless asked; then it records them")
    func editedConfig() throws {
        let run = try Self.start()
        _ = try run.run { run.trainer.epoch >= 1 }
        let path = run.directory + "/config.json"
        let edited = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: #""learning_rate": 0.003"#, with: #""learning_rate": 0.001"#)
        #expect(edited.contains(#""learning_rate": 0.001"#))  // the edit took: the test cannot pass vacuously
        try edited.write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try TrainingRun.resume(run.directory) } throws: { error in
            let message = (error as? TrainingError)?.message ?? ""
            return message.contains("config.json differs from the config the run was trained with") && message.contains("training.learning_rate 0.003 → 0.001")
                && message.contains("--accept-changes")
        }
        let resumed = try TrainingRun.resume(run.directory, acceptChanges: true)
        let (_, summary) = try resumed.run()
        #expect(summary.changes == ["before epoch 1, step 10: training.learning_rate 0.003 → 0.001 (--accept-changes)"])
    }

    @Test("a checkpoint of the same shape from another run is refused: its config differs")
    func foreignCheckpoint() throws {
        let mine = try Self.start()
        _ = try mine.run { mine.trainer.epoch >= 1 }
        let other = try Self.start(TrainingFixtures.small("vae", epochs: 2, seed: 8))
        _ = try other.run { other.trainer.epoch >= 1 }
        try FileManager.default.removeItem(atPath: mine.directory + "/checkpoints/last.ckpt")
        try FileManager.default.copyItem(atPath: other.directory + "/checkpoints/last.ckpt", toPath: mine.directory + "/checkpoints/last.ckpt")
        #expect { try TrainingRun.resume(mine.directory) } throws: { error in
            (error as? TrainingError)?.message.contains("training.seed 8 → 7") == true
        }
    }

    @Test("--epochs is the one change that needs no permission: written to config.json and recorded; a hand edit of num_epochs is a change")
    func epochs() throws {
        let run = try Self.start()
        _ = try run.run { run.trainer.epoch >= 1 }
        let path = run.directory + "/config.json"
        let handEdited = try String(contentsOfFile: path, encoding: .utf8)
        let edited = handEdited.replacingOccurrences(of: #""num_epochs": 2"#, with: #""num_epochs": 5"#)
        #expect(edited != handEdited)
        try edited.write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try TrainingRun.resume(run.directory) } throws: { ($0 as? TrainingError)?.message.contains("training.num_epochs 2 → 5") == true }
        try handEdited.write(toFile: path, atomically: true, encoding: .utf8)
        let longer = try TrainingRun.resume(run.directory, epochs: 3)
        let (_, summary) = try longer.run()
        #expect(summary.epochs == 3 && summary.changes == ["before epoch 1, step 10: training.num_epochs 2 → 3 (--epochs)"])
        #expect(try RunConfiguration.load(file: path).training.numEpochs == 3)
    }

    @Test("data that changed since the run started is refused with both fingerprints")
    func changedData() throws {
        let directory = TrainingFixtures.temporaryDirectory()
        func writeData(_ rows: Int) throws {
            let text = (0..<rows).map { row in (0..<4).map { String(($0 + row) % 2) }.joined(separator: ",") }.joined(separator: "\n") + "\n"
            try text.write(toFile: directory + "/data.csv", atomically: true, encoding: .utf8)
        }
        try writeData(40)
        let config = #"{"data": {"source": "csv", "path": "data.csv", "validation_fraction": 0.25}, "model": {"hidden_sizes": [8], "latent_dim": 2}, "training": {"num_epochs": 2, "batch_size": 10}}"#
        try config.write(toFile: directory + "/run.json", atomically: true, encoding: .utf8)
        let run = try TrainingRun.start(try RunConfiguration.load(file: directory + "/run.json"), in: directory + "/run")
        _ = try run.run { run.trainer.epoch >= 1 }
        try writeData(44)
        #expect { try TrainingRun.resume(directory + "/run") } throws: { error in
            (error as? TrainingError)?.message.contains("the data changed since the run started: it was 40×4") == true
        }
    }

    @Test("a deleted config.json is written back from the checkpoint on resume, and said; the run finishes as the uninterrupted one")
    func configRestoredFromCheckpoint() throws {
        let run = try Self.start()
        _ = try run.run { run.trainer.epoch >= 1 }
        let original = try String(contentsOfFile: run.directory + "/config.json", encoding: .utf8)
        try FileManager.default.removeItem(atPath: run.directory + "/config.json")
        let resumed = try TrainingRun.resume(run.directory)
        #expect(resumed.warnings.contains("\(run.directory)/config.json was missing: written back from \(run.directory)/checkpoints/last.ckpt, which holds the config the run was trained with"), "\(resumed.warnings)")
        let restored = try RunConfiguration.load(file: run.directory + "/config.json")
        #expect(JSONWriter.compact(restored.json) == JSONWriter.compact(try RunConfiguration.parse(try JSONParser.parse(original)).json))
        let (outcome, _) = try resumed.run()
        #expect(outcome == .completed)
        let uninterrupted = try Self.start()
        _ = try uninterrupted.run()
        #expect(resumed.trainer.lastMetrics?.loss == uninterrupted.trainer.lastMetrics?.loss)
    }

    @Test("temporary files left by a run killed while writing are removed on resume")
    func staleTemporaryFiles() throws {
        let run = try Self.start()
        _ = try run.run { run.trainer.epoch >= 1 }
        let stale = run.directory + "/checkpoints/.last.ckpt.99999.tmp"
        try Data(count: 1000).write(to: URL(fileURLWithPath: stale))
        _ = try TrainingRun.resume(run.directory)
        #expect(!FileManager.default.fileExists(atPath: stale))
    }

    @Test("a diverged run says where, blames a large data scale, keeps a finite resumable checkpoint and never a non-finite best")
    func diverged() throws {
        let directory = TrainingFixtures.temporaryDirectory()
        // Values of 1e25: their squares overflow single precision, so every gradient is infinite.
        let text = (0..<40).map { row in (0..<4).map { column in (row + column) % 3 == 0 ? "1e25" : "0.5" }.joined(separator: ",") }.joined(separator: "\n")
        try text.write(toFile: directory + "/big.csv", atomically: true, encoding: .utf8)
        let config = #"{"data": {"source": "csv", "path": "big.csv", "validation_fraction": 0.25}, "model": {"hidden_sizes": [8], "latent_dim": 2, "likelihood": "mse"}, "training": {"num_epochs": 30, "batch_size": 2, "max_consecutive_skipped_steps": 5}}"#
        try config.write(toFile: directory + "/run.json", atomically: true, encoding: .utf8)
        let run = try TrainingRun.start(try RunConfiguration.load(file: directory + "/run.json"), in: directory + "/run")
        let (outcome, summary) = try run.run()
        guard case .diverged(let reason) = outcome else { Issue.record("not diverged: \(outcome)"); return }
        #expect(reason.contains("5 steps in a row had non-finite gradients") && reason.contains("the data's values reach 1e+25") && reason.contains("data.scale: \"max\""))
        #expect(summary.status == "diverged" && summary.resume?.insideEpoch == true)
        #expect(summary.ending.contains("it can continue from checkpoints/last.ckpt"))
        #expect(run.trainer.stateIsFinite)
        let written = try JSONParser.parse(try String(contentsOfFile: run.directory + "/summary.json", encoding: .utf8))
        #expect(written["status"] == .string("diverged"))
        #expect(try String(contentsOfFile: run.directory + "/report.html", encoding: .utf8).contains("The run diverged: 5 steps in a row had non-finite gradients"))
        #expect(!FileManager.default.fileExists(atPath: run.directory + "/checkpoints/best.ckpt"))
    }

    @Test("a β or temperature so large that its epoch sum overflows (1e308) stops the run as diverged with the reason; it was a checkpoint error, exit 1")
    func overflowingQuantity() throws {
        for extra in [#", "beta_scheduler_type": "constant", "beta_scheduler_params": {"beta": 1e308}"#, #", "temperature": 1e308"#] {
            let configuration = try TrainingFixtures.configuration(TrainingFixtures.small(epochs: 2, extra: extra))
            let run = try TrainingRun.start(configuration, in: TrainingFixtures.temporaryDirectory() + "/run")
            let (outcome, summary) = try run.run()
            guard case .diverged(let reason) = outcome else { Issue.record("not diverged: \(outcome)"); continue }
            // 1e308 + 1e308 = inf (the largest double is 1.798e308): the second step overflows.
            let name = extra.contains("temperature") ? "temperature" : "beta"
            #expect(reason.hasPrefix("training diverged: \(name) is 1e+308, so large that its sum over the epoch is no longer a finite number") && reason.hasSuffix("(epoch 0, step 2)"), "\(reason)")
            #expect(summary.status == "diverged")
        }
    }

    @Test("early stopping with a cyclical β and a patience shorter than a cycle is warned about at the start; a patience of a whole cycle is not")
    func earlyStoppingWithCycles() throws {
        func warnings(patience: Int) throws -> [String] {
            let configuration = try TrainingFixtures.configuration(TrainingFixtures.small(epochs: 8, extra: #", "beta_scheduler_type": "cyclical", "beta_scheduler_params": {"cycle_length": 4}, "early_stopping": {"patience": \#(patience)}"#))
            let run = try TrainingRun.start(configuration, in: TrainingFixtures.temporaryDirectory() + "/run")
            defer { run.lock.release() }
            return run.scheduleWarnings.map(\.description)
        }
        let short = try warnings(patience: 2)
        #expect(short.contains { $0.hasPrefix("training.early_stopping: beta cycles every 4 epochs") && $0.contains("give a patience of at least 4 epochs") }, "\(short)")
        #expect(!(try warnings(patience: 4)).contains { $0.hasPrefix("training.early_stopping") })
    }

    @Test("early stopping stops when the metric stalls and says so; the rule's state resumes exactly")
    func earlyStopping() throws {
        // A min_delta no epoch can beat: stop after patience 2 epochs without improvement (epochs 0, 1, 2).
        let text = TrainingFixtures.small("vae", epochs: 10, extra: #", "early_stopping": {"metric": "loss", "patience": 2, "min_delta": 1000}"#)
        let run = try Self.start(text)
        let (outcome, summary) = try run.run()
        #expect(outcome == .stoppedEarly(reason: "loss did not improve by more than 1000.0 for 2 epochs (best \(String(format: "%.3f", summary.final.map { _ in run.trainer.state.earlyStopping!.best! } ?? 0)) at epoch 0)"))
        #expect(summary.epochs == 3 && summary.status == "stopped_early")
        // Interrupted after epoch 1 and resumed, it stops at the same epoch.
        let again = try Self.start(text)
        _ = try again.run { again.trainer.epoch >= 2 }
        let resumed = try TrainingRun.resume(again.directory)
        let (_, second) = try resumed.run()
        #expect(second.epochs == 3 && second.status == "stopped_early")
    }
}
