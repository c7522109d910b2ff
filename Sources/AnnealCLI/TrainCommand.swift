import ArgumentParser
import Data
import Foundation
import JSONConfig
import RunLog
import Schedules
import Synchronization
import Tensors
import Training

/// The signal that asked the run to stop (SIGINT, SIGTERM, SIGHUP or SIGQUIT), 0 while none has; the trainer polls it
/// after every step.
let stopSignal = Atomic<Int32>(0)

/// `anneal train`: train a VAE, CVAE or hierarchical CVAE under the configured schedules.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a VAE, CVAE or hierarchical CVAE under the configured β and learning-rate schedules.",
        discussion: """
            Writes to the run folder: config.json (the resolved config), metrics.jsonl and metrics.csv (one line \
            per epoch), a TensorBoard event file, report.html, checkpoints/last.ckpt and checkpoints/best.ckpt, \
            and summary.json (how the run ended and what can be resumed). Ctrl-C, SIGTERM, SIGHUP and SIGQUIT save a \
            checkpoint at the current step; `anneal train --resume RUN_DIR` continues exactly where it stopped.

            Exit status: 0 completed (or stopped early by training.early_stopping); 1 an error (bad config, data \
            or checkpoint, a file that cannot be written); 2 training diverged, or ended with a nonsense result (a \
            reconstruction far beyond what a model ignoring its input scores, a validation ELBO far below its \
            start, metrics that are not numbers; summary.json says which and what can be resumed); 64 a bad command line; 128 + the signal's number when stopped by a signal after \
            saving (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP, 131 SIGQUIT).
            """
    )

    @Option(name: .long, help: ArgumentHelp("The JSON run config.", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("The run folder (default: runs/<config name>-<timestamp>).", valueName: "dir"))
    var out: String?

    // Numbers are read `.unconditional`ly so that "--epochs -1" is checked and explained, not taken for a flag.
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Epochs (replaces training.num_epochs).", valueName: "n"))
    var epochs: Int?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Random seed (replaces training.seed).", valueName: "s"))
    var seed: Int?

    @Option(name: .long, help: ArgumentHelp("Continue the run in this folder from its last checkpoint.", valueName: "dir"))
    var resume: String?

    @Flag(name: .long, help: "With --resume: continue even though config.json or the data changed since the run started (the changes are recorded in the run).")
    var acceptChanges = false

    @Option(name: .long, parsing: .unconditional, help: "Threads for BLAS and the optimiser (at most the machine's cores).")
    var threads: Int = 1

    func validate() throws {
        if config == nil && resume == nil { throw ValidationError("give --config FILE, or --resume RUN_DIR") }
        if config != nil && resume != nil { throw ValidationError("give --config or --resume, not both: a resumed run uses the config saved in its folder") }
        if resume != nil && out != nil { throw ValidationError("--out does not apply to --resume: the run continues in its own folder") }
        if out == "-" { throw ValidationError("--out names the run's folder (it holds checkpoints, metrics and a report); - (standard output) is not one") }
        if acceptChanges && resume == nil { throw ValidationError("--accept-changes applies to --resume only") }
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
        if let seed, seed < 0 { throw ValidationError("--seed must be ≥ 0, got \(seed)") }
        if resume != nil && seed != nil {
            throw ValidationError("--seed does not apply to --resume: the run continues with the seed it started with (it fixes the data order and every sample)")
        }
        if threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        if threads > cores {
            throw ValidationError("--threads \(threads) is more than this machine's \(cores) core\(cores == 1 ? "" : "s"); results depend on the thread count, so anneal does not quietly use fewer: give --threads \(cores) or fewer")
        }
    }

    /// Reading options that show a long load (over a quarter of a second) as a percentage on the terminal,
    /// on one line that is cleared when the load ends; nothing when standard error is not a terminal.
    static func loadProgress(_ path: String? = nil) -> DataReadOptions {
        var options = DataReadOptions()
        guard isatty(STDERR_FILENO) == 1 else { return options }
        let name = path.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "the data"
        options.progress = { fraction in
            let line = fraction >= 1 ? "\r\u{1B}[K" : "\rreading \(name): \(Int(fraction * 100))%\u{1B}[K"
            FileHandle.standardError.write(Data(line.utf8))
        }
        return options
    }

    func run() throws {
        // A closed pipe (`anneal train … | head`) makes writes fail instead of killing the run, from the first
        // line on: output that cannot be written is said once and training goes on to its end and its files.
        signal(SIGPIPE, SIG_IGN)
        BLAS.setThreads(threads)
        let trainingRun: TrainingRun
        let configPath: String
        if let resume, GeneratorSet.holdsSet(resume) { return try runSet(nil, resume: resume) }
        do {
            if let resume {
                configPath = resume + "/config.json"
                if let epochs, case .number(let saved, _)? = try? ConfigFile.load(configPath)["training"]?["num_epochs"]?.kind, Int(saturating: saved) != epochs {
                    StandardError.print("note: --epochs \(epochs) changes the run's length from \(Int(saturating: saved)) epochs (recorded in the run and config.json); the schedules keep the lengths they resolved to when the run started (num_cycles, *_ratio, adaptive_warmup and the default β are fixed numbers of epochs in config.json), so they continue unchanged")
                }
                trainingRun = try TrainingRun.resume(resume, epochs: epochs, threads: threads, acceptChanges: acceptChanges, reading: Self.loadProgress())
            } else {
                configPath = config!
                let configuration: RunConfiguration
                do {
                    configuration = try RunConfiguration.load(file: configPath, epochs: epochs, seed: seed.map(UInt64.init))
                } catch {
                    throw CommandFailure(error.description)
                }
                if configuration.granularity != .unified { return try runSet(configuration, resume: nil) }
                trainingRun = try TrainingRun.start(configuration, in: out ?? Self.defaultRunDirectory(configPath), threads: threads,
                                                    reading: Self.loadProgress(configuration.data.path))
            }
        } catch let error as TrainingError {
            throw CommandFailure(error.description)
        }
        if trainingRun.resumed && trainingRun.trainer.hasFinished {
            // Nothing to train. A run killed (or stopped by a signal) while it scored its end gets the scores now.
            if trainingRun.lacksDisentanglement {
                trainingRun.notice = { StandardError.print($0) }
                Self.catchInterrupts()
                let warnings = trainingRun.completeDisentanglement(shouldStop: { stopSignal.load(ordering: .relaxed) != 0 })
                for warning in warnings { StandardError.print("warning: \(warning)") }
                if stopSignal.load(ordering: .relaxed) != 0 { throw ExitCode(128 + stopSignal.load(ordering: .relaxed)) }
                if !FileManager.default.fileExists(atPath: trainingRun.directory + "/" + RunDisentanglement.file) { throw ExitCode(1) }
                StandardOutput.write("\(trainingRun.directory) had trained all its epochs but not scored its end: wrote \(trainingRun.directory)/\(RunDisentanglement.file)\(warnings.isEmpty ? " and report.html" : "")\n")
                return
            }
            let epochs = trainingRun.configuration.training.numEpochs
            StandardOutput.write("\(trainingRun.directory) has already trained all its \(epochs) epoch\(epochs == 1 ? "" : "s"); nothing to do (anneal train --resume \(trainingRun.directory) --epochs N trains it further; its results: \(trainingRun.directory)/report.html)\n")
            return
        }
        for warning in trainingRun.scheduleWarnings { StandardError.print("warning: \(configPath): \(warning)") }
        for warning in trainingRun.warnings { StandardError.print("warning: \(warning)") }
        let warningsShown = trainingRun.warnings.count

        StandardOutput.write(Self.banner(trainingRun) + "\n")
        Self.catchInterrupts()
        let progress = ProgressReporter(interactive: isatty(STDERR_FILENO) == 1, quantities: trainingRun.configuration.quantities)
        trainingRun.notice = { StandardError.print($0) }
        let result: (outcome: Trainer.Outcome, summary: TrainingSummary)
        do {
            result = try trainingRun.run(observers: [progress]) { stopSignal.load(ordering: .relaxed) != 0 }
        } catch {
            progress.finishLine()
            throw CommandFailure(error.description)
        }
        progress.finishLine()
        for warning in trainingRun.warnings.dropFirst(warningsShown) { StandardError.print("warning: \(warning)") }
        StandardOutput.write(Self.report(result.summary, configuration: trainingRun.configuration))
        switch result.outcome {
        case .interrupted: throw ExitCode(128 + stopSignal.load(ordering: .relaxed))
        case .diverged: throw ExitCode(2)
        case .completed, .stoppedEarly:
            if !result.summary.problems.isEmpty { throw ExitCode(2) }
            // Stopped by a signal while it scored its end: trained and saved, the scores left to --resume.
            if stopSignal.load(ordering: .relaxed) != 0 { throw ExitCode(128 + stopSignal.load(ordering: .relaxed)) }
        }
    }

    /// A per-class or per-group run: the generators one after another, each with its banner, bar and result.
    func runSet(_ configuration: RunConfiguration?, resume: String?) throws {
        let set: GeneratorSet
        do {
            if let resume {
                set = try GeneratorSet.resume(resume, epochs: epochs, threads: threads, acceptChanges: acceptChanges)
            } else {
                set = try GeneratorSet.start(configuration!, in: out ?? Self.defaultRunDirectory(config!), threads: threads)
            }
        } catch {
            throw CommandFailure(error.description)
        }
        let finished = set.members.filter { set.isFinished($0) }.count
        StandardOutput.write("\(resume == nil ? "training" : "resuming") \(set.members.count) generators (model.granularity \(set.configuration.granularity.name)) → \(set.directory)\(finished > 0 ? "; \(finished) already finished" : "")\n")
        Self.catchInterrupts()
        var progress: ProgressReporter?
        var shownWarnings = 0
        let outcome: Trainer.Outcome
        do {
            outcome = try set.run(observers: { _, run in
                let reporter = ProgressReporter(interactive: isatty(STDERR_FILENO) == 1, quantities: run.configuration.quantities)
                progress = reporter
                return [reporter]
            }, started: { member, run in
                if let configPath = config { for warning in run.scheduleWarnings where member.name == set.members.first?.name { StandardError.print("warning: \(configPath): \(warning)") } }
                for warning in run.warnings { StandardError.print("warning: \(member.name): \(warning)") }
                shownWarnings = run.warnings.count
                StandardOutput.write("\ngenerator \(member.name) (class\(member.classes.count == 1 ? "" : "es") \(member.classes.map(String.init).joined(separator: ", ")))\n" + Self.banner(run) + "\n")
            }, finished: { member, run, summary in
                progress?.finishLine()
                for warning in run.warnings.dropFirst(shownWarnings) { StandardError.print("warning: \(member.name): \(warning)") }
                StandardOutput.write(Self.report(summary, configuration: run.configuration))
            }, shouldStop: { stopSignal.load(ordering: .relaxed) != 0 })
        } catch {
            progress?.finishLine()
            throw CommandFailure(error.description)
        }
        StandardOutput.write("\n\(set.members.filter { set.isFinished($0) }.count) of \(set.members.count) generators finished; side by side: \(set.directory)/summary.json, \(set.directory)/report.html\n")
        switch outcome {
        case .interrupted: throw ExitCode(128 + stopSignal.load(ordering: .relaxed))
        case .diverged: throw ExitCode(2)
        case .completed, .stoppedEarly: break
        }
    }

    /// Ctrl-C (SIGINT), SIGTERM (Slurm, Kubernetes, `kill`), SIGHUP (a closed terminal) and SIGQUIT (Ctrl-\\,
    /// where the Swift runtime printed a crash backtrace and training went on) ask the trainer to stop after the
    /// current step and save it. The signals are also unblocked: a parent process may start us
    /// with them blocked (test runners and some job launchers do), and then they would never arrive.
    static func catchInterrupts() {
        _ = stopSignal.load(ordering: .relaxed)  // initialise the global before a handler can touch it
        var signals = sigset_t()
        sigemptyset(&signals)
        for number in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] {
            signal(number) { received in
                _ = stopSignal.compareExchange(expected: 0, desired: received, ordering: .relaxed)
            }
            sigaddset(&signals, number)
        }
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }

    static func defaultRunDirectory(_ configPath: String) -> String {
        let name = URL(fileURLWithPath: configPath).deletingPathExtension().lastPathComponent
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return "runs/\(name)-\(formatter.string(from: Date()))"
    }

    static func banner(_ run: TrainingRun) -> String {
        let configuration = run.configuration, trainer = run.trainer, model = configuration.model
        let lr = configuration.quantities["lr"]?.summary ?? "none"
        var lines = [
            "\(run.resumed ? "resuming" : "training") \(model.specification.typeName) (\(model.likelihood.name), \(model.architectureSummary), latent \(model.specification.latentSummary), \(trainer.parameterCount) parameters) on \(run.dataset.name): \(trainer.split.training.count) training / \(trainer.split.validation.count) validation examples",
            "β: \(configuration.weightSummary); lr: \(lr)",
        ]
        lines.insert(contentsOf: run.notes, at: 1)
        let sharedBeta = configuration.quantities.index(of: "beta") != nil
        for quantity in configuration.quantities.quantities where quantity.role == .temperature || quantity.role == .lossWeight || quantity.role == .model
            || (quantity.controller != nil && quantity.role != .learningRate && (sharedBeta || quantity.role != .klWeight)) {
            lines.append("\(quantity.name): \(quantity.summary)")
        }
        if configuration.sampler.typeName != "shuffled" { lines.append("sampler: \(configuration.sampler.summary)") }
        if let balancing = configuration.gradientBalancing { lines.append(balancing.summary) }
        if configuration.training.keepBest != .validationELBO { lines.append("best.ckpt when \(configuration.training.keepBest.summary)") }
        if let phases = configuration.quantities.phases {
            lines.append("phases: " + phases.phases.map { "\($0.name) from epoch \($0.startEpoch)" }.joined(separator: ", "))
        }
        lines.append("\(configuration.training.numEpochs) epoch\(configuration.training.numEpochs == 1 ? "" : "s") × \(trainer.stepsPerEpoch) step\(trainer.stepsPerEpoch == 1 ? "" : "s"), batch \(configuration.training.batchSize), seed \(configuration.training.seed) → \(run.directory)\(run.resumed ? " (from epoch \(trainer.epoch)\(trainer.state.position.map { ", step \($0.nextBatch + 1) of \(trainer.stepsPerEpoch)" } ?? ""))" : "")")
        return lines.joined(separator: "\n")
    }

    static func report(_ summary: TrainingSummary, configuration: RunConfiguration) -> String {
        func f(_ value: Double?) -> String { value.map(ProgressReporter.number) ?? "–" }
        var lines = ["", summary.ending.prefix(1).uppercased() + summary.ending.dropFirst(),
                     "  \(summary.globalStep) step\(summary.globalStep == 1 ? "" : "s") in \(String(format: "%.1f", summary.seconds)) s\(summary.sessions > 1 ? " over \(summary.sessions) sessions" : "")"]
        if let final = summary.final {
            lines.append("  epoch \(final.epoch): train loss \(f(final.loss)), ELBO \(f(final.trainingELBO)) (reconstruction \(f(final.reconstruction)), KL \(final.kl.count == 1 ? f(final.kl[0].value) : final.kl.map { "\($0.name) \(f($0.value))" }.joined(separator: ", ")))")
            if let elbo = final.validationELBO, elbo.isFinite || summary.bestValidationELBO != nil {
                let trend = final.epoch == 0 ? "\(f(elbo)) after epoch 0" : "\(f(summary.firstValidationELBO)) after epoch 0 → \(f(elbo)) after epoch \(final.epoch)"
                lines.append("  validation ELBO \(trend); best \(f(summary.bestValidationELBO)) after epoch \(summary.bestEpoch.map(String.init) ?? "–")\(summary.bestRule.map { $0 == "validation_elbo" ? "" : " (best.ckpt by rule \($0))" } ?? "")")
                let active = zip(final.activeUnits, configuration.model.specification.klTerms.map(\.size)).map { "\($0.value) of \($1)\(final.activeUnits.count > 1 ? " (\($0.name))" : "")" }
                lines.append("  active units (posterior-mean variance ≥ 0.01): \(active.joined(separator: ", "))")
            } else if final.validationELBO == nil && summary.bestEpoch == nil {
                lines.append("  no validation example, so no validation ELBO and no best.ckpt: sample, evaluate and export use checkpoints/last.ckpt")
            }
        }
        if let text = try? String(contentsOfFile: summary.runDirectory + "/" + RunDisentanglement.file, encoding: .utf8),
           let json = try? JSONParser.parse(text), case .array(let blocks)? = json["blocks"]?.kind {
            // Each metric's first figure, block by block; the file holds the definitions, sizes and notes.
            for block in blocks {
                let figures = (block["metrics"]?.members ?? []).compactMap { member -> String? in
                    // FactorVAE's eval accuracy (its held-out votes), not the training accuracy that comes first.
                    let keys = (block["metrics"]?[member.key]?["figures"]?.members ?? []).map(\.key)
                    guard let key = keys.contains("eval_accuracy") ? "eval_accuracy" : keys.first,
                          case .string(let name)? = member.value["name"]?.kind, case .string(let label)? = member.value["labels"]?[key]?.kind else { return nil }
                    let value: String
                    if case .number(let number, _)? = member.value["figures"]?[key]?.kind { value = String(format: "%.3f", number) } else { value = "not defined" }
                    return (name == label ? name : "\(name) \(label)") + " " + value
                }
                if case .string(let name)? = block["name"]?.kind {
                    lines.append("  disentanglement (\(name)): \(figures.joined(separator: ", "))")
                }
            }
            lines.append("  (\(RunDisentanglement.file): definitions, sample sizes (a fifth of disentanglement_lib's) and notes; anneal evaluate RUN for the full sizes)")
        }
        if summary.skippedSteps > 0 { lines.append("  skipped \(summary.skippedSteps) step\(summary.skippedSteps == 1 ? "" : "s") with non-finite gradients") }
        let pictures = ((try? FileManager.default.contentsOfDirectory(atPath: summary.runDirectory)) ?? [])
            .filter { [RunPictures.samplesFile, RunPictures.reconstructionsFile].contains($0) || ($0.hasPrefix("traversal") && $0.hasSuffix(".png")) }
            .sorted { ($0 == RunPictures.samplesFile ? 0 : $0 == RunPictures.reconstructionsFile ? 1 : 2, $0) < ($1 == RunPictures.samplesFile ? 0 : $1 == RunPictures.reconstructionsFile ? 1 : 2, $1) }
        lines.append("  files: \(summary.runDirectory)/report.html\(pictures.isEmpty ? "" : " (" + pictures.joined(separator: ", ") + ")"), metrics.jsonl, metrics.csv, summary.json, checkpoints/\(configuration.logging.tensorBoard ? "; TensorBoard: tensorboard --logdir \(URL(fileURLWithPath: summary.runDirectory).deletingLastPathComponent().path)" : "")")
        return lines.joined(separator: "\n") + "\n"
    }
}
