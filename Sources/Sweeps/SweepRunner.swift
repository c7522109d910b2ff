import Foundation
import JSONConfig
import RunLog

/// Runs trials as `anneal train` child processes, `jobs` at a time, each in its run folder, so that any stop
/// can be resumed and no trial runs twice.
///
/// For each trial, in order: skip it if `result.json` exists; claim it (`TrialClaim`), or, when another
/// process holds the claim, come back to it after the others and wait until it is finished or free; then,
/// by the folder's state (`SweepFolder.TrialState`): record the result of a run that ended without one,
/// resume a run with a checkpoint (`anneal train --resume`), start again a run cut off before its first
/// checkpoint, or start it (`anneal train --config trial.json --out OUT/trials/<id>`). The child inherits
/// the claim; its output goes to `train.log`. When it exits 0 (completed or stopped early) or 2 (diverged:
/// deterministic, so a result too) the result is read from its folder and written atomically; 128 + a
/// signal, or death by a signal, leaves the trial resumable; any other status is a failure, recorded in
/// `failure.json` with the log's last line, and tried again by the next run.
///
/// `shouldStop` is polled between children's events (every `pollInterval`): once it returns a signal
/// number, no trial is started, the signal is passed to every running child (each saves a checkpoint at its
/// current step and exits), and `run` returns when they have.
public final class SweepRunner {
    public struct Options: Sendable {
        public var executable: String
        public var jobs = 1
        public var threads = 1
        public var shard: ShardSelection?
        public var pollInterval: TimeInterval = 0.05
        /// How often claims held by other processes are tried again.
        public var waitInterval: TimeInterval = 1

        public init(executable: String) {
            self.executable = executable
        }
    }

    /// What one `run` did.
    public struct Report: Sendable {
        public var alreadyFinished: [String] = []
        public var finished: [String] = []
        public var failed: [(id: String, message: String)] = []
        public var interrupted: [String] = []
        /// The signal that stopped the run, 0 if none.
        public var stoppedBy: Int32 = 0
        /// Trials that were still claimed by another process when the run was stopped.
        public var leftToOthers: [String] = []
    }

    let folder: SweepFolder
    let plan: SweepPlan
    let options: Options
    let log: (String) -> Void
    /// Whether the file system's lack of `flock` has been reported.
    private var warnedAboutLocking = false

    private struct Running {
        var trial: Trial
        var child: ChildProcess
        var claim: TrialClaim
        var number: Int
        var total: Int
    }

    public init(folder: SweepFolder, plan: SweepPlan, options: Options, log: @escaping (String) -> Void) {
        self.folder = folder
        self.plan = plan
        self.options = options
        self.log = log
    }

    func label(_ trial: Trial) -> String { "\(plan.groups[trial.group].label), seed \(trial.seed)" }

    /// Runs `trials` (this process's share) to the end or until `shouldStop` returns a signal number.
    public func run(_ trials: [Trial], shouldStop: () -> Int32) -> Report {
        var report = Report()
        var queue = trials
        var deferred: [Trial] = []
        var running: [Running] = []
        var started = 0
        var lastWaitAttempt = Date.distantPast
        var announcedWaiting = Set<String>()
        var announcedPureWait = false
        let total = trials.count

        while true {
            // Reap.
            for (index, entry) in running.enumerated().reversed() {
                guard let termination = entry.child.poll() else { continue }
                running.remove(at: index)
                finish(entry, termination, report: &report)
            }
            // Stop.
            let signal = shouldStop()
            if signal != 0 && report.stoppedBy == 0 {
                report.stoppedBy = signal
                if !running.isEmpty {
                    log("stopping: passing signal \(signal) to \(running.count) running trial\(running.count == 1 ? "" : "s"), which save a checkpoint and exit")
                }
                for entry in running { entry.child.send(signal) }
            }
            if report.stoppedBy != 0 {
                if running.isEmpty {
                    report.leftToOthers = deferred.map(\.id)
                    return report
                }
                Thread.sleep(forTimeInterval: options.pollInterval)
                continue
            }
            // Start.
            while running.count < options.jobs, !queue.isEmpty {
                let trial = queue.removeFirst()
                if FileManager.default.fileExists(atPath: folder.resultPath(trial.id)) {
                    report.alreadyFinished.append(trial.id)
                    continue
                }
                switch begin(trial, number: started + 1, total: total, report: &report) {
                case .started(let entry):
                    started += 1
                    running.append(entry)
                case .busy(let holder):
                    deferred.append(trial)
                    if !announcedWaiting.contains(trial.id) {
                        announcedWaiting.insert(trial.id)
                        log("\(trial.id) \(label(trial)): claimed by \(holder ?? "another process"); coming back to it later")
                    }
                case .done:
                    break
                }
            }
            if queue.isEmpty && running.isEmpty && deferred.isEmpty { return report }
            // Trials other processes hold: try again now and then, once nothing else is left to start.
            if queue.isEmpty && running.count < options.jobs && !deferred.isEmpty && Date().timeIntervalSince(lastWaitAttempt) >= options.waitInterval {
                lastWaitAttempt = Date()
                var stillHeld: [Trial] = []
                for trial in deferred {
                    if FileManager.default.fileExists(atPath: folder.resultPath(trial.id)) {
                        report.alreadyFinished.append(trial.id)
                    } else if TrialClaim.isHeld(folder.claimPath(trial.id)) {
                        stillHeld.append(trial)
                    } else {
                        queue.append(trial)
                    }
                }
                if running.isEmpty && queue.isEmpty && !stillHeld.isEmpty && !announcedPureWait {
                    announcedPureWait = true
                    log("waiting for \(stillHeld.count) trial\(stillHeld.count == 1 ? "" : "s") another process is running: \(stillHeld.map(\.id).joined(separator: ", "))")
                }
                deferred = stillHeld
                continue
            }
            Thread.sleep(forTimeInterval: options.pollInterval)
        }
    }

    private enum Beginning {
        case started(Running)
        case busy(String?)
        case done
    }

    /// Claims `trial` and starts its child, or records it, or reports that another process holds it.
    private func begin(_ trial: Trial, number: Int, total: Int, report: inout Report) -> Beginning {
        let directory = folder.trialDirectory(trial.id)
        let claim: TrialClaim
        do {
            try AtomicFile.createDirectory(directory)
            switch try TrialClaim.attempt(folder.claimPath(trial.id), note: options.shard.map { "anneal compare, shard \($0.index)/\($0.count)" } ?? "anneal compare") {
            case .busy(let holder): return .busy(holder)
            case .claimed(let granted):
                claim = granted
                if granted.lockingUnsupported && !warnedAboutLocking {
                    warnedAboutLocking = true
                    log("warning: \(folder.trialsPath) does not support flock locks, so claims are not exclusive: run each shard in one process only (two processes on one trial are then kept apart only by anneal train's run.lock)")
                }
            }
        } catch let error as AtomicFile.WriteError {
            report.failed.append((trial.id, error.description))
            log("\(trial.id) \(label(trial)): \(error.description)")
            return .done
        } catch {
            report.failed.append((trial.id, "\(error)"))
            log("\(trial.id) \(label(trial)): \(error)")
            return .done
        }
        let prefix = "[\(number)/\(total)] \(trial.id) \(label(trial))"
        if let owner = folder.removeStaleRunLock(trial.id) {
            folder.recordEvent(trial.id, "unlock", shard: options.shard, detail: "removed run.lock left by a training that is no longer running: \(owner)")
        }
        var arguments: [String]
        switch folder.state(trial.id) {
        case .finished:
            claim.release()
            report.alreadyFinished.append(trial.id)
            return .done
        case .trainedUnrecorded:
            record(trial, report: &report, prefix: prefix)
            claim.release()
            return .done
        case .resumable:
            folder.recordEvent(trial.id, "resume", shard: options.shard, detail: "from its last checkpoint")
            log("\(prefix): resuming from its last checkpoint")
            arguments = ["train", "--resume", directory]
        case .startedWithoutCheckpoint:
            folder.clearUnfinishedRun(trial.id)
            folder.recordEvent(trial.id, "restart", shard: options.shard, detail: "cut off before its first checkpoint")
            log("\(prefix): starting again (it was cut off before its first checkpoint)")
            arguments = ["train", "--config", folder.trialConfigPath(trial.id), "--out", directory]
        case .failed, .notStarted:
            guard let configuration = trial.configuration else {
                claim.release()
                report.failed.append((trial.id, "no config for this trial"))
                return .done
            }
            do {
                try AtomicFile.write(JSONWriter.pretty(configuration), to: folder.trialConfigPath(trial.id))
            } catch {
                claim.release()
                report.failed.append((trial.id, error.description))
                log("\(prefix): \(error.description)")
                return .done
            }
            folder.recordEvent(trial.id, "start", shard: options.shard)
            log("\(prefix): started")
            arguments = ["train", "--config", folder.trialConfigPath(trial.id), "--out", directory]
        }
        arguments += ["--threads", String(options.threads)]
        do {
            let child = try ChildProcess.spawn(executable: options.executable, arguments: arguments, outputPath: folder.logPath(trial.id), inheriting: claim.descriptor)
            return .started(Running(trial: trial, child: child, claim: claim, number: number, total: total))
        } catch {
            claim.release()
            report.failed.append((trial.id, error.message))
            log("\(prefix): \(error.message)")
            return .done
        }
    }

    /// Handles a child's end.
    private func finish(_ entry: Running, _ termination: ChildProcess.Termination, report: inout Report) {
        defer { entry.claim.release() }
        let trial = entry.trial
        let name = "[\(entry.number)/\(entry.total)] \(trial.id) \(label(trial))"
        switch termination {
        case .exited(0), .exited(2):
            record(trial, report: &report, prefix: name)
        case .exited(let status) where status > 128:
            report.interrupted.append(trial.id)
            folder.recordEvent(trial.id, "interrupt", shard: options.shard, detail: "exit status \(status)")
            log("\(name): stopped by signal \(status - 128); resumable from its checkpoint")
        case .signalled(let signal):
            report.interrupted.append(trial.id)
            folder.recordEvent(trial.id, "interrupt", shard: options.shard, detail: "killed by signal \(signal)")
            log("\(name): killed by signal \(signal); resumable from its last checkpoint")
        case .exited(let status):
            let message = lastLine(folder.logPath(trial.id)) ?? "anneal train exited with status \(status)"
            report.failed.append((trial.id, message))
            try? AtomicFile.write(JSONWriter.pretty(.object([("exit_status", .number(Int(status))), ("message", .string(message))])), to: folder.failurePath(trial.id))
            folder.recordEvent(trial.id, "fail", shard: options.shard, detail: message)
            log("\(name): failed (exit status \(status)): \(message); log: \(folder.logPath(trial.id))")
        }
    }

    /// Reads the finished run's numbers and writes `result.json`.
    private func record(_ trial: Trial, report: inout Report, prefix: String) {
        do {
            let result = try TrialResult.read(runDirectory: folder.trialDirectory(trial.id), id: trial.id)
            try AtomicFile.write(JSONWriter.pretty(result.json), to: folder.resultPath(trial.id))
            try? FileManager.default.removeItem(atPath: folder.failurePath(trial.id))
            folder.recordEvent(trial.id, "finish", shard: options.shard, detail: result.status)
            report.finished.append(trial.id)
            func f(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "–" }
            let ending = result.status == "completed" ? "" : " (\(result.status.replacingOccurrences(of: "_", with: " "))\(result.reason.map { ": \($0)" } ?? ""))"
            log("\(prefix): \(result.epochs) epochs in \(String(format: "%.1f", result.seconds)) s, validation ELBO \(f(result.finalValidationELBO)) (best \(f(result.bestValidationELBO)))\(ending)")
        } catch let error as SweepError {
            report.failed.append((trial.id, error.message))
            folder.recordEvent(trial.id, "fail", shard: options.shard, detail: error.message)
            log("\(prefix): finished, but its result cannot be read: \(error.message)")
        } catch {
            report.failed.append((trial.id, "\(error)"))
            log("\(prefix): \(error)")
        }
    }

    /// The last non-empty line of a log, without `Error: `.
    func lastLine(_ path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        guard let line = text.split(separator: "\n").last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else { return nil }
        let trimmed = String(line)
        return trimmed.hasPrefix("Error: ") ? String(trimmed.dropFirst(7)) : trimmed
    }
}
