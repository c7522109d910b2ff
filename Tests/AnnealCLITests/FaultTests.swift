import Foundation
import Testing
import Training

/// Faults the real `anneal train` process must survive without losing or mixing anything: `kill -9` at random
/// moments and in the middle of checkpoint writes, SIGTERM, a full disk and two writers on one folder. Every
/// faulted run is finished with `--resume` and compared, bit for bit, with one uninterrupted run of the same
/// config (its metrics lines without their times, and its final checkpoint: parameters, optimiser buffers,
/// counters and training state).
///
/// Serialized: the tests time kills against the uninterrupted run, and the machine has few cores.
@Suite("Faults: kill -9, SIGTERM, a full disk, two writers", .serialized)
struct FaultTests {
    static let epochs = 6
    static let seed = 3
    /// Small and fast (192 examples, one class of shapes; 3 steps an epoch), with parameters enough (135,000, a
    /// 1.6 MB checkpoint) that a kill sent when a checkpoint's temporary file appears lands before its rename.
    static let configText = #"""
        {"data": {"source": "shapes", "classes": [0], "validation_fraction": 0.2},
         "model": {"type": "vae", "hidden_sizes": [256], "latent_dim": 4},
         "training": {"num_epochs": 6, "batch_size": 64, "learning_rate": 0.001, "checkpoint_every": 1, "seed": 3}}
        """#

    // MARK: The uninterrupted run

    struct Reference: Sendable {
        var metrics: [String]
        var checkpoint: Checkpoint
        /// Wall time of the whole run, start-up included.
        var seconds: Double
        var stepsPerEpoch: Int { checkpoint.state.globalStep / FaultTests.epochs }
    }

    static let configPath: Result<String, any Error> = Result { try AnnealProcess.writeConfig(configText).path }

    /// The uninterrupted run, made once for the whole suite; another seed's run is made on demand.
    static func reference(seed: Int = seed) throws -> Reference {
        if seed == Self.seed { return try defaultReference.get() }
        return try makeReference(seed: seed)
    }

    private static let defaultReference: Result<Reference, any Error> = Result { try makeReference(seed: seed) }

    private static func makeReference(seed: Int) throws -> Reference {
        let out = try AnnealProcess.temporaryDirectory().appendingPathComponent("straight").path
        let started = Date()
        let result = try AnnealProcess.run(["train", "--config", try configPath.get(), "--out", out, "--seed", String(seed)])
        let seconds = Date().timeIntervalSince(started)
        guard result.status == 0 else { throw Failure("the uninterrupted run failed (\(result.status)): \(result.standardError)") }
        return Reference(metrics: try metricsLines(out), checkpoint: try Checkpoint.read(out + "/checkpoints/last.ckpt"), seconds: seconds)
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    // MARK: kill -9

    @Test("kill -9 while config.json is written, just after the first checkpoint, then at moments drawn from a fixed seed: every kill leaves a folder that resumes (or says clearly that it cannot), and the finished run equals the uninterrupted one")
    func killAtRandomMoments() throws {
        let reference = try Self.reference()
        let config = try Self.configPath.get()
        let out = try AnnealProcess.temporaryDirectory().appendingPathComponent("run").path
        var random = SplitMix64(seed: 20_261_122)
        var outcomes: [String] = []

        // The first kill: the moment config.json's temporary file appears, before anything else is written.
        // (An empty folder is a valid --out; made here so that it can be watched from the start.)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let watch = try CreationWatch(out)
        var session = try Spawned(["train", "--config", config, "--out", out])
        let killedAt = watch.kill(session) { $0.hasPrefix(".config.json.") && $0.hasSuffix(".tmp") }
        #expect(killedAt != nil, "config.json's temporary file never appeared")
        if killedAt == nil { session.kill9() }
        session = try recover(out, config: config, outcomes: &outcomes)

        // Then once the moment the first checkpoint is in place, so that at least one kill resumes from a
        // checkpoint however loaded the machine is (the moments drawn below are shares of the reference run's
        // time, measured while the machine may have been quieter: under parallel tests, all of them once fell
        // before the first checkpoint).
        Self.waitForFirstCheckpoint(out, session, seconds: 120)
        if session.isRunning {
            session.kill9()
            session = try recover(out, config: config, outcomes: &outcomes)
        }

        // Then kills at moments between 0 and 90% of the uninterrupted run's wall time, start-up included.
        for _ in 0..<5 {
            usleep(UInt32(reference.seconds * 0.9 * random.fraction() * 1_000_000))
            guard session.isRunning else { break }
            session.kill9()
            session = try recover(out, config: config, outcomes: &outcomes)
        }
        #expect(session.wait(seconds: 120) == 0, "the last session: \(session.standardError)")
        try expectEqualToReference(out, reference)
        // The kills must have tested something: at least one resumed from a checkpoint.
        #expect(outcomes.contains("resumed"), "\(outcomes)")
    }

    @Test("kill -9 the moment a checkpoint's temporary file appears: the old checkpoint stays whole, resume removes the partial file, and the finished run equals the uninterrupted one")
    func killDuringCheckpointWrites() throws {
        let reference = try Self.reference()
        let config = try Self.configPath.get()
        let out = try AnnealProcess.temporaryDirectory().appendingPathComponent("run").path
        var outcomes: [String] = []
        var midWrite = 0
        var session = try Spawned(["train", "--config", config, "--out", out])
        // Session n is killed at the n-th checkpoint write it starts, so each one gets further than the last.
        for n in 1...5 {
            // A new run makes checkpoints/ at its start, well before its first checkpoint.
            let deadline = Date().addingTimeInterval(60)
            while session.isRunning && Date() < deadline && !FileManager.default.fileExists(atPath: out + "/checkpoints") { usleep(500) }
            var seen = 0
            let name = try CreationWatch(out + "/checkpoints").kill(session) { name in
                guard name.hasPrefix("."), name.hasSuffix(".tmp"), name.contains(".ckpt.") else { return false }
                seen += 1
                return seen == n
            }
            guard let name else { break }  // the session finished first
            // The partial file is still there when the kill landed before the rename.
            if FileManager.default.fileExists(atPath: out + "/checkpoints/" + name) { midWrite += 1 }
            session = try recover(out, config: config, outcomes: &outcomes)
        }
        #expect(session.wait(seconds: 120) == 0, "the last session: \(session.standardError)")
        try expectEqualToReference(out, reference)
        #expect(midWrite >= 1, "no kill landed inside a checkpoint write (\(outcomes)); the test did not test what it says")
        // The first session dies writing its first checkpoint (best.ckpt, before last.ckpt): nothing saved yet, so
        // it starts again from epoch 0; later ones resume.
        #expect(outcomes.first == "restarted" && outcomes.contains("resumed"), "\(outcomes)")
    }

    // MARK: kill -9 inside long epochs

    /// Long epochs (154 steps of 4 shapes) with a checkpoint inside every epoch every 50 steps
    /// (`checkpoint_every_steps`), as a dSprites epoch has one every 10 minutes by default.
    static let longEpochConfigText = #"""
        {"data": {"source": "shapes", "validation_fraction": 0.2},
         "model": {"type": "vae", "hidden_sizes": [256], "latent_dim": 4},
         "training": {"num_epochs": 2, "batch_size": 4, "learning_rate": 0.001, "checkpoint_every_steps": 50, "seed": 3}}
        """#

    @Test("kill -9 inside the first epoch and inside a later one, while a checkpoint inside the epoch is written: each resume continues from the last such checkpoint (at most one interval lost), and the finished run equals the uninterrupted one")
    func killInsideLongEpochs() throws {
        let config = try AnnealProcess.writeConfig(Self.longEpochConfigText).path
        let straight = try AnnealProcess.temporaryDirectory().appendingPathComponent("straight").path
        let result = try AnnealProcess.run(["train", "--config", config, "--out", straight])
        #expect(result.status == 0, "\(result.standardError)")
        let reference = Reference(metrics: try Self.metricsLines(straight), checkpoint: try Checkpoint.read(straight + "/checkpoints/last.ckpt"), seconds: 0)
        let stepsPerEpoch = 154
        let out = try AnnealProcess.temporaryDirectory().appendingPathComponent("run").path
        try FileManager.default.createDirectory(atPath: out + "/checkpoints", withIntermediateDirectories: true)
        // Writes of last.ckpt, in order: at steps 50, 100 and 150 of each epoch, then at its end.
        func isLastWrite(_ name: String) -> Bool { name.hasPrefix(".last.ckpt.") && name.hasSuffix(".tmp") }
        // Session 1: killed as it starts its second write, inside epoch 0: the first (step 50) is on disk.
        var session = try Spawned(["train", "--config", config, "--out", out])
        var seen = 0
        #expect(try CreationWatch(out + "/checkpoints").kill(session) { name in
            if isLastWrite(name) { seen += 1 }
            return seen == 2
        } != nil, "the run ended before its second checkpoint")
        let first = try Checkpoint.read(out + "/checkpoints/last.ckpt")
        #expect(first.state.position?.epoch == 0 && [50, 100].contains(first.state.position?.nextBatch ?? -1),
                "after the kill in epoch 0, last.ckpt is at \(first.state.epoch)/\(first.state.position?.nextBatch ?? -1)")
        // Session 2: from there, killed as it starts the second write inside epoch 1.
        let resumedAt = first.state.position?.nextBatch ?? 0
        let writesBefore = stride(from: 50, to: stepsPerEpoch, by: 50).filter { $0 > resumedAt }.count + 1 + 1
        session = try Spawned(["train", "--resume", out])
        seen = 0
        #expect(try CreationWatch(out + "/checkpoints").kill(session) { name in
            if isLastWrite(name) { seen += 1 }
            return seen == writesBefore + 1
        } != nil, "the run ended before its checkpoints in epoch 1")
        let second = try Checkpoint.read(out + "/checkpoints/last.ckpt")
        #expect(second.state.position?.epoch == 1 && [50, 100].contains(second.state.position?.nextBatch ?? -1),
                "after the kill in epoch 1, last.ckpt is at \(second.state.epoch)/\(second.state.position?.nextBatch ?? -1)")
        // Session 3 finishes.
        session = try Spawned(["train", "--resume", out])
        #expect(session.wait(seconds: 120) == 0, "the last session: \(session.standardError)")
        try expectEqualToReference(out, reference, epochs: 2)
    }

    // MARK: SIGTERM

    @Test("SIGTERM and SIGQUIT (Ctrl-\\) mid-run: exit 128 + the signal, a checkpoint at the current step, summary.json says interrupted, no crash backtrace; --resume equals the uninterrupted run",
          arguments: [SIGTERM, SIGQUIT])
    func sigterm(_ signalNumber: Int32) throws {
        let reference = try Self.reference()
        let config = try Self.configPath.get()
        let out = try AnnealProcess.temporaryDirectory().appendingPathComponent("run").path
        let session = try Spawned(["train", "--config", config, "--out", out])
        // After the first epoch, and a few steps into the next.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && session.isRunning && ((try? Self.metricsLines(out).count) ?? 0) < 1 { usleep(2_000) }
        usleep(UInt32(reference.seconds / Double(Self.epochs) * 0.4 * 1_000_000))
        #expect(session.isRunning, "the run ended before the signal")
        session.signal(signalNumber)
        #expect(session.wait(seconds: 30) == 128 + signalNumber, "\(session.standardError)")
        #expect(session.standardError.contains("interrupted: saved \(out)/checkpoints/last.ckpt"))
        #expect(!session.standardError.contains("Error"), "\(session.standardError)")
        Self.expectNoCrash(session.standardError)

        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as? [String: Any] ?? [:]
        #expect(summary["status"] as? String == "interrupted")
        let step = summary["global_step"] as? Int ?? -1
        let checkpoint = try Checkpoint.read(out + "/checkpoints/last.ckpt")
        #expect(checkpoint.state.globalStep == step && step > 0 && step < reference.checkpoint.state.globalStep)
        // The epochs in metrics.jsonl are the ones the checkpoint has finished; a stop inside an epoch saves its position.
        let finished = try Self.metricsLines(out).count
        #expect(checkpoint.state.epoch == finished)
        #expect((checkpoint.state.position != nil) == (step != finished * reference.stepsPerEpoch))
        #expect(Self.temporaryFiles(out).isEmpty)

        let resumed = try AnnealProcess.run(["train", "--resume", out])
        #expect(resumed.status == 0, "\(resumed.standardError)")
        try expectEqualToReference(out, reference)
    }

    // MARK: A full disk

    @Test("a full disk: a one-line error naming the file and the reason, exit 1, the last good checkpoint and config intact; after space is freed --resume equals the uninterrupted run",
          .enabled(if: SmallFileSystem.canMount, "needs permission to mount a tmpfs (root, or CAP_SYS_ADMIN); without it the full-disk fault is not tested"))
    func fullDisk() throws {
        let reference = try Self.reference()
        let config = try Self.configPath.get()
        let disk = try SmallFileSystem(megabytes: 48)
        defer { disk.unmount() }
        let out = disk.path + "/run"
        let session = try Spawned(["train", "--config", config, "--out", out])
        // Once the first checkpoint is written, fill what is left of the disk.
        Self.waitForFirstCheckpoint(out, session, seconds: 60)
        let configBefore = try Data(contentsOf: URL(fileURLWithPath: out + "/config.json"))
        let filler = disk.path + "/filler"
        let filled = try disk.fill(filler)
        #expect(filled > 0)
        let status = session.wait(seconds: 60)
        #expect(status == 1, "\(session.standardError)")
        let errors = session.standardError.split(separator: "\n").filter { $0.hasPrefix("Error:") }
        #expect(errors.count == 1 && errors.first.map { $0.contains("No space left on device") && $0.contains(out + "/") } == true, "\(session.standardError)")
        Self.expectNoCrash(session.standardError)
        // Nothing half-written: config.json unchanged, the last checkpoint whole, no temporary file left.
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/config.json")) == configBefore)
        let last = try Checkpoint.read(out + "/checkpoints/last.ckpt")
        #expect(last.state.epoch >= 1 && last.state.epoch < Self.epochs)
        #expect(Self.temporaryFiles(out).isEmpty, "\(Self.temporaryFiles(out))")

        try FileManager.default.removeItem(atPath: filler)
        let resumed = try AnnealProcess.run(["train", "--resume", out])
        #expect(resumed.status == 0, "\(resumed.standardError)")
        try expectEqualToReference(out, reference)
    }

    @Test("a disk that fills before the first checkpoint, at each of the first writes in turn (config.json, the TensorBoard file, metrics.jsonl, metrics.csv, a checkpoint): one clear error naming the file, exit 1, never a crash; --resume starts it again and fails as clearly",
          .enabled(if: SmallFileSystem.canMount, "needs permission to mount a tmpfs (root, or CAP_SYS_ADMIN); without it the full-disk fault is not tested"))
    func fullDiskAtEachWrite() throws {
        let config = try Self.configPath.get()
        var named: [String] = []
        // The disk is filled, then `pages` 4 KiB pages are freed: each file's first bytes take a page, so the
        // n-th write that needs a new page fails. metrics.jsonl and the TensorBoard file are appended through
        // FileHandle, whose write(_:) stopped the program with a backtrace on a full disk.
        for pages in 1...5 {
            let disk = try SmallFileSystem(megabytes: 1)
            defer { disk.unmount() }
            let filler = disk.path + "/filler"
            _ = try disk.fill(filler)
            try disk.free(filler, pages: pages)
            let out = disk.path + "/run"
            let session = try Spawned(["train", "--config", config, "--out", out])
            #expect(session.wait(seconds: 60) == 1, "\(pages) pages: \(session.standardError)")
            let errors = session.standardError.split(separator: "\n").filter { $0.hasPrefix("Error:") }
            #expect(errors.count == 1 && errors.first.map { $0.hasPrefix("Error: cannot write \(out)/") && $0.hasSuffix(": No space left on device") } == true,
                    "\(pages) pages: \(session.standardError)")
            Self.expectNoCrash(session.standardError)
            named += errors.map { String($0.dropFirst("Error: cannot write \(out)/".count).prefix { $0 != ":" }) }
            if FileManager.default.fileExists(atPath: out + "/config.json") {
                #expect(throws: Never.self) { _ = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/config.json"))) }
            }
            #expect(Self.temporaryFiles(out).isEmpty, "\(Self.temporaryFiles(out))")
            #expect(!FileManager.default.fileExists(atPath: out + "/checkpoints/last.ckpt"))
            try FileManager.default.removeItem(atPath: filler)
            // --resume starts a run that saved nothing again from epoch 0; on this 1 MB disk its 1.6 MB checkpoint
            // still cannot be written, which is again one clear error (the freed-disk case is the test above).
            if FileManager.default.fileExists(atPath: out + "/config.json") {
                let resumed = try AnnealProcess.run(["train", "--resume", out, "--epochs", "1"])
                let resumeErrors = resumed.standardError.split(separator: "\n").filter { $0.hasPrefix("Error:") }
                #expect(resumed.status == 1 && resumeErrors.count == 1 && resumeErrors[0].hasSuffix(": No space left on device"), "\(pages) pages: \(resumed.standardError)")
                #expect(resumed.standardError.contains("starts again from epoch 0"), "\(resumed.standardError)")
                Self.expectNoCrash(resumed.standardError)
            } else {
                let refused = try AnnealProcess.run(["train", "--resume", out])
                #expect(refused.status == 1 && refused.standardError.contains("is not a run folder"), "\(refused.standardError)")
            }
        }
        // The sweep reached the files written through FileHandle.
        #expect(named.contains("metrics.jsonl") && named.contains { $0.hasPrefix("events.out.tfevents.") }, "\(named)")
    }

    @Test("standard output on a full disk (/dev/full): the run completes and says once that its output is lost; no crash")
    func standardOutputOnFullDisk() throws {
        let config = try Self.configPath.get()
        let out = try AnnealProcess.temporaryDirectory().appendingPathComponent("run").path
        let session = try Spawned(["train", "--config", config, "--out", out, "--epochs", "1"], standardOutput: "/dev/full")
        #expect(session.wait(seconds: 60) == 0, "\(session.standardError)")
        #expect(session.standardError == "warning: cannot write to standard output (No space left on device); what anneal prints there is lost\n", "\(session.standardError)")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as? [String: Any]
        #expect(summary?["status"] as? String == "completed")
    }

    // MARK: Two writers

    @Test("two anneal train --out on one folder at once: exactly one is refused, naming the lock's owner; the folder holds only the other's run")
    func twoWriters() throws {
        let config = try Self.configPath.get()
        let out = try AnnealProcess.temporaryDirectory().appendingPathComponent("run").path
        let seeds = [Self.seed, Self.seed + 10]
        let sessions = try seeds.map { try Spawned(["train", "--config", config, "--out", out, "--seed", String($0)]) }
        let statuses = sessions.map { $0.wait(seconds: 120) }
        #expect(statuses.sorted() == [0, 1], "\(statuses): \(sessions.map(\.standardError))")
        guard let winner = statuses.firstIndex(of: 0), let loser = statuses.firstIndex(of: 1) else { return }
        let refusal = sessions[loser].standardError
        #expect(refusal.hasPrefix("Error: \(out) is in use by another anneal train: process \(sessions[winner].pid) on \(ProcessInfo.processInfo.hostName), started ")
                && refusal.split(separator: "\n").count == 1, "\(refusal)")
        Self.expectNoCrash(refusal)
        // Everything in the folder is the winner's: equal to a run of its seed alone.
        let saved = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/config.json"))) as? [String: Any]
        #expect((saved?["training"] as? [String: Any])?["seed"] as? Int == seeds[winner])
        try expectEqualToReference(out, try Self.reference(seed: seeds[winner]))
        #expect(!FileManager.default.fileExists(atPath: out + "/run.lock"))
    }

    // MARK: Checks

    /// After a kill: whatever is in the folder is whole; `--resume` then continues (started here, and returned
    /// to be killed again or to finish), or, when there is no checkpoint yet, fails with one clear line, and
    /// the run is started again.
    func recover(_ out: String, config: String, outcomes: inout [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> Spawned {
        for name in ["checkpoints/last.ckpt", "checkpoints/best.ckpt"] where FileManager.default.fileExists(atPath: out + "/" + name) {
            #expect(throws: Never.self, "\(name) is damaged after a kill", sourceLocation: sourceLocation) { _ = try Checkpoint.read(out + "/" + name) }
        }
        if FileManager.default.fileExists(atPath: out + "/config.json") {
            #expect(throws: Never.self, "config.json is damaged after a kill", sourceLocation: sourceLocation) {
                _ = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/config.json")))
            }
        }
        let hasLast = FileManager.default.fileExists(atPath: out + "/checkpoints/last.ckpt")
        let hasBest = FileManager.default.fileExists(atPath: out + "/checkpoints/best.ckpt")
        if !hasLast && !hasBest {
            guard FileManager.default.fileExists(atPath: out + "/config.json") else {
                // Killed before config.json: not a run folder yet; it is started again with --config.
                let refused = try AnnealProcess.run(["train", "--resume", out])
                #expect(refused.status == 1, "\(refused.standardError)", sourceLocation: sourceLocation)
                #expect(refused.standardError.hasPrefix("Error: ") && refused.standardError.split(separator: "\n").count == 1
                        && refused.standardError.contains("is not a run folder"), "\(refused.standardError)", sourceLocation: sourceLocation)
                Self.expectNoCrash(refused.standardError, sourceLocation: sourceLocation)
                outcomes.append("refused")
                return try Spawned(["train", "--config", config, "--out", out])
            }
            // A run that saved nothing yet (killed in its first epoch): --resume starts it again from epoch 0.
            outcomes.append("restarted")
            return try Spawned(["train", "--resume", out])
        }
        if !hasLast {
            // Killed between best.ckpt and last.ckpt: --resume continues from best.ckpt and says so.
            outcomes.append("resumed from best")
            return try Spawned(["train", "--resume", out])
        }
        outcomes.append("resumed")
        return try Spawned(["train", "--resume", out])
    }

    /// The finished run in `out` equals the uninterrupted one: each epoch once in metrics.jsonl with the same
    /// numbers, the same final parameters, optimiser buffers and state; no temporary file left.
    func expectEqualToReference(_ out: String, _ reference: Reference, epochs: Int = FaultTests.epochs, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let lines = try Self.metricsLines(out)
        let recorded = try String(contentsOfFile: out + "/metrics.jsonl", encoding: .utf8).split(separator: "\n").map { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["epoch"] as? Int ?? -1
        }
        #expect(recorded == Array(0..<epochs), "metrics.jsonl's epochs", sourceLocation: sourceLocation)
        #expect(lines == reference.metrics, "metrics.jsonl differs from the uninterrupted run's", sourceLocation: sourceLocation)
        let checkpoint = try Checkpoint.read(out + "/checkpoints/last.ckpt")
        let sameTensors = checkpoint.tensors == reference.checkpoint.tensors
        #expect(sameTensors, "the final parameters or optimiser buffers differ from the uninterrupted run's", sourceLocation: sourceLocation)
        #expect(checkpoint.optimizer == reference.checkpoint.optimizer, sourceLocation: sourceLocation)
        func comparable(_ state: TrainingState) -> TrainingState {
            var state = state
            state.elapsedSeconds = 0
            state.sessions = 0
            state.changes = []  // a resume from best.ckpt records itself
            return state
        }
        #expect(comparable(checkpoint.state) == comparable(reference.checkpoint.state), sourceLocation: sourceLocation)
        #expect(Self.temporaryFiles(out).isEmpty, "\(Self.temporaryFiles(out))", sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: out + "/run.lock"), sourceLocation: sourceLocation)
    }

    static func expectNoCrash(_ standardError: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for sign in ["Fatal error", "Stack dump", "Backtrace", "Crash", "💣"] {
            #expect(!standardError.contains(sign), "\(standardError)", sourceLocation: sourceLocation)
        }
    }

    /// metrics.jsonl's lines without their wall times.
    static func metricsLines(_ out: String) throws -> [String] {
        try String(contentsOfFile: out + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
            .map { $0.replacingOccurrences(of: #""seconds":[0-9.e+-]+"#, with: "", options: .regularExpression) }
    }

    /// Temporary files (`.<name>.<pid>.tmp`) in the run folder and its checkpoints.
    /// Returns when `out`'s last.ckpt is in place (renamed there whole), the session has ended, or `seconds` passed.
    static func waitForFirstCheckpoint(_ out: String, _ session: Spawned, seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline && session.isRunning && !FileManager.default.fileExists(atPath: out + "/checkpoints/last.ckpt") { usleep(1_000) }
    }

    static func temporaryFiles(_ out: String) -> [String] {
        [out, out + "/checkpoints"].flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasPrefix(".") && $0.hasSuffix(".tmp") }.map { folder + "/" + $0 }
        }
    }
}

/// Watches a folder for new files (inotify), to kill a process the moment it creates one.
final class CreationWatch {
    private let descriptor: Int32

    init(_ folder: String) throws {
        descriptor = inotify_init1(Int32(IN_CLOEXEC) | Int32(IN_NONBLOCK))
        guard descriptor >= 0, inotify_add_watch(descriptor, folder, UInt32(IN_CREATE)) >= 0 else {
            throw FaultTests.Failure("cannot watch \(folder): \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(descriptor) }

    /// Sends SIGKILL to `session` the moment a file whose name `matches` is created, and waits for it to die;
    /// returns that name, or nil when the session ended first (or after a minute).
    func kill(_ session: Spawned, when matches: (String) -> Bool) -> String? {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        let capacity = buffer.count
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            if poll(&ready, 1, 20) <= 0 {
                if !session.isRunning { return nil }
                continue
            }
            let count = read(descriptor, &buffer, capacity)
            var offset = 0
            while offset + 16 <= count {
                // struct inotify_event: wd, mask, cookie, len (4 bytes each), then the name, NUL-padded to len.
                let length = buffer[(offset + 12)..<(offset + 16)].reversed().reduce(0) { $0 << 8 | Int($1) }
                let name = String(decoding: buffer[(offset + 16)..<(offset + 16 + length)].prefix { $0 != 0 }, as: UTF8.self)
                offset += 16 + length
                if matches(name) {
                    session.kill9()
                    return name
                }
            }
        }
        return nil
    }
}

/// An `anneal train` running in the background, its outputs going to files.
final class Spawned {
    let process = Process()
    private let outputPath: String
    private let errorPath: String

    init(_ arguments: [String], standardOutput: String? = nil) throws {
        let directory = try AnnealProcess.temporaryDirectory()
        outputPath = standardOutput ?? directory.path + "/stdout"
        errorPath = directory.path + "/stderr"
        if standardOutput == nil { _ = FileManager.default.createFile(atPath: outputPath, contents: nil) }
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        process.executableURL = AnnealProcess.executable
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: outputPath)
        process.standardError = FileHandle(forWritingAtPath: errorPath)
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    var standardOutput: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
    var standardError: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

    func signal(_ number: Int32) { _ = kill(pid, number) }

    /// SIGKILL, then waits until the process is gone (reaped: its lock's owner is no longer alive).
    func kill9() {
        signal(SIGKILL)
        process.waitUntilExit()
    }

    /// The exit status (or 128 + the signal that ended it); after `seconds` the process is killed and -1 returned.
    func wait(seconds: Double) -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        if process.isRunning {
            kill9()
            return -1
        }
        process.waitUntilExit()
        return process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus
    }
}

/// A small tmpfs mounted on a new temporary folder, to be filled up.
struct SmallFileSystem {
    let path: String

    /// Whether this process may mount one (root in a container usually may; elsewhere not).
    static let canMount: Bool = {
        guard let disk = try? SmallFileSystem(megabytes: 1) else { return false }
        disk.unmount()
        return true
    }()

    init(megabytes: Int) throws {
        path = try AnnealProcess.temporaryDirectory().path
        guard mount("tmpfs", path, "tmpfs", 0, "size=\(megabytes)m") == 0 else {
            throw FaultTests.Failure("cannot mount a tmpfs on \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Writes `file` until the file system is full; returns the bytes written.
    func fill(_ file: String) throws -> Int {
        let descriptor = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { return 0 }
        defer { close(descriptor) }
        var total = 0
        var chunk = 1 << 20
        let zeros = [UInt8](repeating: 0, count: chunk)
        while chunk > 0 {
            let written = zeros.withUnsafeBytes { write(descriptor, $0.baseAddress, chunk) }
            if written > 0 { total += written } else { chunk /= 2 }
        }
        return total
    }

    /// Shortens `file` (written by `fill`) by `pages` 4 KiB pages, leaving that much room.
    func free(_ file: String, pages: Int) throws {
        let size = try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int ?? 0
        guard truncate(file, off_t(max(0, ((size + 4095) / 4096 - pages) * 4096))) == 0 else {
            throw FaultTests.Failure("cannot shorten \(file): \(String(cString: strerror(errno)))")
        }
    }

    func unmount() {
        if umount2(path, 2 /* MNT_DETACH */) != 0 { _ = umount(path) }
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A fixed-seed generator for the kill moments (SplitMix64).
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    mutating func fraction() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
