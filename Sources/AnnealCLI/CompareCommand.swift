import ArgumentParser
import Foundation
import JSONConfig
import RunLog
import Sweeps
import Synchronization
import Training

/// The signal that asked `anneal compare` to stop (SIGINT, SIGTERM, SIGHUP or SIGQUIT), 0 while none has.
let compareStopSignal = Atomic<Int32>(0)

/// `anneal compare`: the same model and data under several β schedules (and any `--set` axes), several seeds
/// each, as resumable, shardable trials; then the comparison tables.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Train the same model and data under several β schedules and seeds, and tabulate how they compare.",
        discussion: """
            Each schedule in --schedules is a built-in name or a file. Built-in (E = the run's epochs): \
            \(BuiltInSchedule.all.map { "\($0.name): \($0.meaning)" }.joined(separator: "; ")). A file is a \
            schedule config (as anneal schedule reads) or a run config; its β keys (\(ScheduleChoice.betaKeys.joined(separator: ", "))) \
            replace the base config's, and the base decides everything else. --set KEY.PATH=V1,V2 (repeatable) \
            adds an axis of JSON values; axes are crossed with the schedules and the seeds.

            Every trial runs as its own anneal train process in OUT/trials/<id>/, where id is the first 16 hex \
            digits of the SHA-256 of its resolved config (seed included); result.json there marks it done. Run \
            the same command again to continue: finished trials are skipped and interrupted ones resume from \
            their checkpoints. Ctrl-C, SIGTERM, SIGHUP and SIGQUIT are passed to the running trials, which save and stop.

            --shard I/N runs the trials at positions p ≡ I (mod N) of the sorted ids; --shard slurm reads a \
            Slurm array task (SLURM_ARRAY_TASK_ID's position in the array; give --array-indices for an index \
            list such as 1,3,8-9); --shard kubernetes/N reads JOB_COMPLETION_INDEX. Processes given the same \
            shard never run one trial twice: a trial another process holds is waited for.

            Writes OUT/plan.json, OUT/comparison.md (also printed), comparison.csv, trials.csv, \
            comparison.html, report.html (every trial overlaid), and links OUT/runs/<schedule>-seed<s>. \
            `anneal compare merge OUT` rebuilds them from whatever has finished.

            Exit status: 0 when this process's trials are all finished (diverged trials are results too); 1 \
            when a trial failed or the input is bad; 64 a bad command line; 128 + the signal's number when \
            stopped by a signal.
            """,
        subcommands: [CompareMergeCommand.self]
    )

    @Option(name: .long, help: ArgumentHelp("The base run config: data, model and everything the schedules do not replace.", valueName: "file"))
    var config: String?

    @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("Built-in schedule names or schedule/run config files (default: the base config's own β).", valueName: "name-or-file"))
    var schedules: [String] = []

    @Option(name: .customLong("set"), help: ArgumentHelp("An axis of values for a config key, e.g. training.learning_rate=0.001,0.003 (repeatable).", valueName: "key.path=v1,v2"))
    var settings: [String] = []

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Seeds per schedule: s, s + 1, …, from the base's training.seed.", valueName: "n"))
    var seeds = 3

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Epochs of every trial (replaces training.num_epochs).", valueName: "n"))
    var epochs: Int?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Trials trained at the same time on this machine.", valueName: "j"))
    var jobs = 1

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Threads for each trial (anneal train --threads).", valueName: "n"))
    var threads = 1

    @Option(name: .long, help: ArgumentHelp("The comparison's folder (default: runs/compare-<config name>).", valueName: "dir"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Run one share of the trials: I/N, slurm, or kubernetes/N.", valueName: "spec"))
    var shard: String?

    @Option(name: .long, help: ArgumentHelp("With --shard slurm: the job array's index list as given to sbatch --array (needed when it is not one range).", valueName: "list"))
    var arrayIndices: String?

    @Flag(name: .long, help: "Print the trials, their ids, states and shards, and run nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Make this command's plan the folder's when OUT holds a different one (finished trials with the same ids are kept).")
    var replacePlan = false

    func validate() throws {
        if seeds < 1 { throw Self.usageFailure("--seeds must be at least 1, got \(seeds)") }
        if let epochs, epochs < 1 { throw Self.usageFailure("--epochs must be at least 1, got \(epochs)") }
        if jobs < 1 { throw Self.usageFailure("--jobs must be at least 1, got \(jobs)") }
        if threads < 1 { throw Self.usageFailure("--threads must be at least 1, got \(threads)") }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        if threads > cores { throw Self.usageFailure("--threads \(threads) is more than this machine's \(cores) core\(cores == 1 ? "" : "s")") }
        if arrayIndices != nil && shard?.lowercased() != "slurm" { throw Self.usageFailure("--array-indices applies to --shard slurm only") }
    }

    func run() throws {
        guard let config else {
            throw Self.usageFailure("give --config BASE.json (and --schedules …), or use anneal compare merge DIR")
        }
        let plan: SweepPlan
        let choices: [ScheduleChoice]
        let selection: ShardSelection?
        do throws(SweepError) {
            let document: JSONValue
            do { document = try ConfigFile.load(config) } catch { throw SweepError(error.description) }
            let numEpochs = epochs ?? SweepPlan.numEpochs(document)
            choices = try schedules.map { argument throws(SweepError) in try ScheduleChoice.read(argument, numEpochs: numEpochs) }
            let axes = try settings.map { argument throws(SweepError) in try SweepAxis.parse(argument) }
            plan = try SweepPlan.make(basePath: config, schedules: choices, axes: axes, seedCount: seeds, epochs: epochs)
            selection = try shard.map { text throws(SweepError) in
                try ShardSelection.parse(text, environment: ProcessInfo.processInfo.environment, arrayIndices: arrayIndices)
            }
        } catch {
            if error.isUsage { throw Self.usageFailure(error.message) }
            throw CommandFailure(error.message)
        }
        for choice in choices where !choice.ignoredKeys.isEmpty {
            StandardError.print("note: schedule \(choice.label) (\(choice.file ?? "")): its \(choice.ignoredKeys.joined(separator: ", ")) \(choice.ignoredKeys.count == 1 ? "is" : "are") not used; the base config's are (vary them with --set)")
        }
        if shard == nil, let task = ProcessInfo.processInfo.environment["SLURM_ARRAY_TASK_ID"] {
            StandardError.print("note: SLURM_ARRAY_TASK_ID is \(task) but --shard is not given, so this task works on every trial (sharing them with the other tasks as they come); give --shard slurm to run its own share")
        }
        let outDirectory = out ?? "runs/compare-" + URL(fileURLWithPath: config).deletingPathExtension().lastPathComponent
        let folder = SweepFolder(outDirectory)
        let mine = selection.map { $0.select(plan.trials) } ?? plan.trials

        if dryRun {
            StandardOutput.write(Self.listing(plan, folder: folder, selection: selection, mine: mine, epochs: epochs))
            return
        }

        // The folder holds one comparison.
        do {
            try AtomicFile.createDirectory(folder.trialsPath)
        } catch {
            throw CommandFailure(error.description)
        }
        if FileManager.default.fileExists(atPath: folder.planPath) {
            let existing: SweepPlan
            do { existing = try SweepPlan.load(folder.planPath) } catch { throw CommandFailure(error.description) }
            if !existing.sameTrials(as: plan) {
                if !replacePlan {
                    let old = Set(existing.trials.map(\.id)), new = Set(plan.trials.map(\.id))
                    throw CommandFailure("\(folder.planPath) holds another comparison (\(existing.trials.count) trials; this command makes \(plan.trials.count): \(new.subtracting(old).count) new, \(old.subtracting(new).count) not in it): give another --out, or --replace-plan to make this the folder's plan (finished trials with the same ids are kept)")
                }
                do { try AtomicFile.write(JSONWriter.pretty(plan.json), to: folder.planPath) } catch { throw CommandFailure(error.description) }
            }
        } else {
            do { try AtomicFile.write(JSONWriter.pretty(plan.json), to: folder.planPath) } catch { throw CommandFailure(error.description) }
        }
        guard let executable = ChildProcess.currentExecutable() else {
            throw CommandFailure("cannot find the anneal executable to run the trials with; set ANNEAL_EXECUTABLE to its path")
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        if jobs * threads > cores {
            StandardError.print("note: --jobs \(jobs) × --threads \(threads) is more than this machine's \(cores) cores; trials will share them and each take longer")
        }

        let finished = mine.filter { FileManager.default.fileExists(atPath: folder.resultPath($0.id)) }.count
        var banner = "comparing \(plan.groups.count) \(plan.groups.count == 1 ? "group" : "groups") × \(plan.seeds.count) seed\(plan.seeds.count == 1 ? "" : "s") = \(plan.trials.count) trials → \(outDirectory)"
        if let selection { banner += "; \(selection) (\(selection.origin)): \(mine.count) trials" }
        banner += "; \(jobs) at a time"
        if finished > 0 { banner += "; \(finished) already finished" }
        StandardOutput.write(banner + "\n")
        for group in plan.groups { StandardOutput.write("  \(group.label): \(group.betaSummary)\n") }

        Self.catchSignals()
        var options = SweepRunner.Options(executable: executable)
        options.jobs = jobs
        options.threads = threads
        options.shard = selection
        let runner = SweepRunner(folder: folder, plan: plan, options: options) { StandardOutput.write($0 + "\n") }
        let report = runner.run(mine) { compareStopSignal.load(ordering: .relaxed) }

        let comparison = Comparison(plan: plan, folder: folder)
        do {
            for warning in try comparison.write(to: folder) { StandardError.print("warning: \(warning)") }
        } catch {
            throw CommandFailure(error.description)
        }
        StandardOutput.write("\n" + comparison.resultsTable + "\n" + comparison.dynamicsTable + "\n" + (comparison.disentanglementTable.map { "\n" + $0 + "\n" } ?? ""))
        let done = mine.filter { FileManager.default.fileExists(atPath: folder.resultPath($0.id)) }.count
        var lines = ["\(done) of \(mine.count) trials of \(selection.map { "\($0)" } ?? "this comparison") finished (\(comparison.finishedCount) of \(plan.trials.count) in all). Tables: \(outDirectory)/comparison.md, comparison.csv, trials.csv; pages: comparison.html, report.html; TensorBoard: tensorboard --logdir \(outDirectory)/trials"]
        if selection != nil && comparison.finishedCount < plan.trials.count {
            lines.append("When every shard has finished: anneal compare merge \(outDirectory)")
        }
        StandardOutput.write(lines.joined(separator: "\n") + "\n")
        if report.stoppedBy != 0 {
            StandardError.print("stopped by signal \(report.stoppedBy): \(report.interrupted.count) trial\(report.interrupted.count == 1 ? "" : "s") saved a checkpoint; run the same command again to continue (finished trials are kept, interrupted ones resume)")
            throw ExitCode(128 + report.stoppedBy)
        }
        if !report.failed.isEmpty {
            throw CommandFailure("\(report.failed.count) trial\(report.failed.count == 1 ? "" : "s") failed (first: \(report.failed[0].id): \(report.failed[0].message)); run the same command again to retry \(report.failed.count == 1 ? "it" : "them")")
        }
    }

    /// A bad flag or flag value: one line on standard error naming the flag, the value and what is allowed,
    /// and exit status 64 (as for every bad flag), without the usage text.
    static func usageFailure(_ message: String) -> ExitCode {
        StandardError.print("Error: " + message)
        return ExitCode(64)
    }

    /// The dry run's listing.
    static func listing(_ plan: SweepPlan, folder: SweepFolder, selection: ShardSelection?, mine: [Trial], epochs: Int?) -> String {
        var text = "\(plan.trials.count) trials: \(plan.groups.count) \(plan.groups.count == 1 ? "group" : "groups") × seeds \(plan.seeds.map(String.init).joined(separator: ", ")) (base \(plan.basePath)) → \(folder.root)\n"
        for group in plan.groups { text += "  \(group.label): \(group.betaSummary)\n" }
        let shards = selection.map { ShardSelection.assignment(ids: plan.trials.map(\.id), count: $0.count) }
        let exists = FileManager.default.fileExists(atPath: folder.trialsPath)
        let width = max(5, plan.groups.map(\.label.count).max() ?? 0)
        text += "\n" + "id".padding(toLength: 18, withPad: " ", startingAt: 0) + (shards != nil ? "shard   " : "") + "group".padding(toLength: width + 2, withPad: " ", startingAt: 0) + "seed  state\n"
        for trial in plan.trials {
            var state = "not started"
            if exists {
                switch folder.state(trial.id) {
                case .finished: state = "finished"
                case .trainedUnrecorded: state = "trained, result not recorded yet"
                case .resumable: state = TrialClaim.isHeld(folder.claimPath(trial.id)) ? "running" : "resumes from its checkpoint"
                case .startedWithoutCheckpoint: state = TrialClaim.isHeld(folder.claimPath(trial.id)) ? "running" : "starts again (no checkpoint)"
                case .failed(let message): state = "failed: \(message)"
                case .notStarted: state = "not started"
                }
            }
            var line = trial.id + "  "
            if let shards, let selection {
                let shard = shards[trial.id]!
                line += "\(shard)/\(selection.count)\(shard == selection.index ? "*" : " ")".padding(toLength: 8, withPad: " ", startingAt: 0)
            }
            line += plan.groups[trial.group].label.padding(toLength: width + 2, withPad: " ", startingAt: 0) + String(trial.seed).padding(toLength: 6, withPad: " ", startingAt: 0) + state
            text += line + "\n"
        }
        if let selection {
            text += "\n\(selection) (\(selection.origin)) runs the \(mine.count) trials marked *\n"
        }
        return text
    }

    /// SIGINT, SIGTERM, SIGHUP and SIGQUIT set `compareStopSignal`; they are unblocked in case a parent blocked them.
    static func catchSignals() {
        _ = compareStopSignal.load(ordering: .relaxed)
        var signals = sigset_t()
        sigemptyset(&signals)
        for number in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] {
            signal(number) { received in
                _ = compareStopSignal.compareExchange(expected: 0, desired: received, ordering: .relaxed)
            }
            sigaddset(&signals, number)
        }
        signal(SIGPIPE, SIG_IGN)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }
}
