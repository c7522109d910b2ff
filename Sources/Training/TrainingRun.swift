import Data
import Evaluation
import Foundation
import JSONConfig
import RunLog
import Schedules

/// A run folder and the training that fills it, as a library: `start` a new run or `resume` one, then `run`
/// it with any observers. The run keeps its own files: `config.json`, `metrics.jsonl` and `metrics.csv`, the
/// TensorBoard event file, `checkpoints/`, and at the end `summary.json` and `report.html`.
public final class TrainingRun {
    public let directory: String
    public let configuration: RunConfiguration
    public let dataset: Dataset
    public let trainer: Trainer
    public let resumed: Bool
    /// Problems that did not stop the run (a report that could not be written, repaired metrics, a lock taken
    /// over from a dead run), for the user to see.
    public private(set) var warnings: [String] = []
    /// Told what the run does after its last step that takes a while (the disentanglement scores), for a terminal.
    public var notice: ((String) -> Void)?
    /// What the run chose or did for the user that the config did not say (the likelihood chosen from the data,
    /// how labels became classes), printed with the start line.
    public var notes: [String] = []
    /// The largest share of the training time the report's rewrites at checkpoints may take (`ReportRefresher`).
    var reportOverheadLimit = 0.05
    let lock: RunFolderLock

    init(directory: String, configuration: RunConfiguration, dataset: Dataset, trainer: Trainer, resumed: Bool, lock: RunFolderLock) {
        self.directory = directory
        self.configuration = configuration
        self.dataset = dataset
        self.trainer = trainer
        self.resumed = resumed
        self.lock = lock
        if let owner = lock.tookOver { warnings.append("took over \(lock.path), left by \(owner), which is no longer running") }
    }

    /// A new run of `configuration` in `directory`, which must be new or empty (or a folder anneal compare keeps a
    /// trial in): locks the folder, loads the data, builds the model and writes `config.json`. A folder that holds
    /// files anneal did not write, or a run, is refused with the reason. `threads` is recorded in the run.
    /// `reading` reaches the data file's reader (progress on a long load); the run adds the check of the
    /// config's likelihood against the first rows (`RunConfiguration.previewCheck`).
    public static func start(_ configuration: RunConfiguration, in directory: String, threads: Int = 1,
                             reading: DataReadOptions = DataReadOptions()) throws(TrainingError) -> TrainingRun {
        try checkNewRunFolder(directory)
        for (key, path) in [("data.test_path", configuration.data.testPath), ("data.test_labels_path", configuration.data.testLabelsPath)] {
            if let path, !FileManager.default.fileExists(atPath: path) {
                throw TrainingError("\(path): no such file (\(key)); the test file is read only by anneal evaluate --split test, but it must exist when the run starts")
            }
        }
        let dataset = try load(configuration, reading: reading)
        // config.json records what the data decided: the divisor, the split's seed, standardize.
        let trainer = try Trainer(configuration: configuration.resolvingData(dataset), dataset: dataset, runDirectory: directory)
        do {
            try AtomicFile.createDirectory(directory)
        } catch {
            throw TrainingError(error.description)
        }
        let lock = try RunFolderLock(directory: directory)
        if FileManager.default.fileExists(atPath: directory + "/checkpoints/last.ckpt") || FileManager.default.fileExists(atPath: directory + "/checkpoints/best.ckpt") {
            throw TrainingError("\(directory) already holds a run; continue it with --resume \(directory), or choose another --out")
        }
        if FileManager.default.fileExists(atPath: directory + "/config.json") {
            throw TrainingError("\(directory) holds a run that stopped before its first checkpoint; anneal train --resume \(directory) starts it again from epoch 0 there, or choose another --out")
        }
        return try begin(trainer, dataset: dataset, in: directory, threads: threads, lock: lock)
    }

    /// The rest of a new run, once its folder is locked: config.json, the fingerprint, the start notes.
    private static func begin(_ trainer: Trainer, dataset: Dataset, in directory: String, threads: Int, lock: RunFolderLock) throws(TrainingError) -> TrainingRun {
        // The trainer's configuration has what the data decided (the likelihood); config.json records that.
        let configuration = trainer.configuration
        trainer.threads = threads
        removeStaleTemporaryFiles(directory)
        do {
            try AtomicFile.write(JSONWriter.pretty(configuration.json), to: directory + "/config.json")
        } catch {
            throw TrainingError(error.description)
        }
        trainer.setDataFingerprint(dataset.fingerprint)
        let run = TrainingRun(directory: directory, configuration: configuration, dataset: dataset, trainer: trainer, resumed: false, lock: lock)
        if let likelihoodNote = trainer.likelihoodNote { run.notes.append(likelihoodNote) }
        if let architectureNote = trainer.architectureNote { run.notes.append(architectureNote) }
        if let betaNote = trainer.betaNote { run.notes.append(betaNote) }
        run.notes += dataset.notes
        if let scaleNote = trainer.scaleNote { run.notes.append(scaleNote) }
        if let sizeNote = trainer.sizeNote { run.notes.append(sizeNote) }
        if let note = Self.disentanglementNote(configuration, dataset: dataset) { run.notes.append(note) }
        return run
    }

    /// What a run folder may hold before a new run starts in it: anneal's own run files, and the files
    /// `anneal compare` keeps beside a trial's run. Anything else is the user's, and a run is not written among it.
    static let knownEntries: Set<String> = [
        "config.json", "metrics.jsonl", "metrics.csv", "summary.json", "report.html", "checkpoints", "run.lock", "samples", "export", "generators",
        RunPictures.samplesFile, RunPictures.reconstructionsFile, RunPictures.traversalFile, RunPictures.traversalLegendFile, RunDisentanglement.file,
        "trial.json", "claim.lock", "train.log", "history.jsonl", "failure.json", "result.json",
    ]

    /// Refuses an empty path, a path that is a file, and a folder holding files anneal did not write.
    static func checkNewRunFolder(_ directory: String) throws(TrainingError) {
        guard !directory.isEmpty else { throw TrainingError("the run folder's path is empty (--out \"\"); name a folder, or leave --out out for runs/<config name>-<time>") }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw TrainingError("\(directory) is a file, not a folder; a run needs a new or empty folder (--out)") }
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
        let foreign = entries.filter { !knownEntries.contains($0) && !$0.hasPrefix("events.out.tfevents.") && !($0.hasPrefix(".") && $0.hasSuffix(".tmp"))
            && !($0.hasPrefix("traversal-") && $0.hasSuffix(".png")) }
        if !foreign.isEmpty {
            let shown = foreign.prefix(3).joined(separator: ", ") + (foreign.count > 3 ? " and \(foreign.count - 3) more" : "")
            throw TrainingError("\(directory) already exists and holds files that are not an anneal run (\(shown)); anneal writes a run into a new or empty folder and never among other files: choose another --out")
        }
    }

    /// The run in `directory`, continued from `checkpoints/last.ckpt`, or from `best.ckpt` when `last.ckpt` is
    /// missing or damaged (said in `warnings` and recorded in the run), or started again from epoch 0 when the
    /// run stopped before its first checkpoint was written.
    ///
    /// The run continues exactly as it was trained: `config.json` must still say what the checkpoint was trained
    /// with, and the data must be the data it was trained on; otherwise the run is refused with each change
    /// named, unless `acceptChanges` (the changes are then recorded in the run). `epochs` (`--epochs`) is the
    /// one change that needs no permission: it replaces `num_epochs` (the schedules keep the lengths they
    /// resolved to when the run started), is written to config.json and recorded.
    public static func resume(_ directory: String, epochs: Int? = nil, threads: Int = 1, acceptChanges: Bool = false,
                              reading: DataReadOptions = DataReadOptions()) throws(TrainingError) -> TrainingRun {
        var restoredConfig: String?
        if !FileManager.default.fileExists(atPath: directory + "/config.json") {
            // A deleted config.json is written back from the checkpoint, which holds the resolved config.
            guard FileManager.default.fileExists(atPath: directory + "/checkpoints/last.ckpt") || FileManager.default.fileExists(atPath: directory + "/checkpoints/best.ckpt") else {
                throw TrainingError("\(directory) is not a run folder: it has no config.json")
            }
            restoredConfig = directory + "/config.json"
        }
        let lock = try RunFolderLock(directory: directory)
        removeStaleTemporaryFiles(directory)
        if let restoredConfig {
            guard let (checkpoint, path, _) = try chooseCheckpoint(directory) else {
                throw TrainingError("\(directory) is not a run folder: it has no config.json")
            }
            do {
                try AtomicFile.write(JSONWriter.pretty(try JSONParser.parse(checkpoint.configuration)), to: restoredConfig)
            } catch {
                throw TrainingError("\(restoredConfig) is missing and could not be written back from \(path): \(error)")
            }
        }
        guard let (checkpoint, path, fallback) = try chooseCheckpoint(directory) else {
            return try restart(directory, epochs: epochs, threads: threads, lock: lock, reading: reading)
        }
        if let epochs, epochs < checkpoint.state.epoch {
            throw TrainingError("--epochs \(epochs) is fewer than the \(checkpoint.state.epoch) epochs \(directory) has trained already; a run cannot be shortened (give --epochs \(checkpoint.state.epoch) or more, or judge an earlier epoch with its metrics)")
        }
        let configuration: RunConfiguration
        let savedConfiguration: RunConfiguration
        do {
            configuration = try RunConfiguration.load(file: directory + "/config.json", epochs: epochs)
            // With --epochs both sides take the new length; without it, an edited num_epochs is a change like any other.
            savedConfiguration = try RunConfiguration.parse(try JSONParser.parse(checkpoint.configuration), file: path + " (its saved config)", epochs: epochs)
        } catch {
            throw TrainingError(error.description)
        }
        // Everything but the run length must match the config the checkpoint was trained with.
        var saved = savedConfiguration.json, current = configuration.json
        if case .object(var members) = saved.kind, let index = members.firstIndex(where: { $0.key == "description" }) {
            members.remove(at: index)
            saved = JSONValue(.object(members))
        }
        if case .object(var members) = current.kind, let index = members.firstIndex(where: { $0.key == "description" }) {
            members.remove(at: index)
            current = JSONValue(.object(members))
        }
        let differences = ConfigDifference.between(saved, current)
        if !differences.isEmpty && !acceptChanges {
            throw TrainingError("\(directory)/config.json differs from the config the run was trained with (in \(path)): \(differences.map(\.description).joined(separator: "; ")). Resuming would mix two runs: start a new run with --config, or pass --accept-changes to continue with the edited config (the changes are recorded in the run)")
        }
        // Data files that moved with the run folder (to another machine) are found beside it; the config keeps its
        // paths, and the fingerprint below tells whether the file found is the data the run was trained on.
        let located = try configuration.locatingData(near: directory)
        let dataset = try load(located.configuration, reading: reading)
        if let fingerprint = checkpoint.state.dataFingerprint, fingerprint != dataset.fingerprint, !acceptChanges {
            throw TrainingError("the data changed since the run started: it was \(fingerprint.prefix { $0 != ":" }) examples × features with fingerprint \(fingerprint.split(separator: ":").last ?? ""), it is now \(dataset.fingerprint.prefix { $0 != ":" }) (\(configuration.data.path ?? configuration.data.kind.rawValue)) with \(dataset.fingerprint.split(separator: ":").last ?? ""); resume with the original data, or pass --accept-changes")
        }
        let trainer = try Trainer(configuration: configuration, dataset: dataset, runDirectory: directory)
        try trainer.restore(checkpoint, file: path)
        let run = TrainingRun(directory: directory, configuration: configuration, dataset: dataset, trainer: trainer, resumed: true, lock: lock)
        run.notes += located.notes
        if let restoredConfig {
            run.warnings.append("\(restoredConfig) was missing: written back from \(path), which holds the config the run was trained with")
        }
        if let fallback {
            run.warnings.append(fallback)
            trainer.recordChange(fallback)
            // best.ckpt's state becomes last.ckpt at once, so the folder is whole again before any step.
            do { try trainer.checkpoint().write(to: directory + "/checkpoints/last.ckpt") } catch { throw TrainingError(error.description) }
        }
        for difference in differences { trainer.recordChange("\(difference) (--accept-changes)") }
        if let fingerprint = checkpoint.state.dataFingerprint, fingerprint != dataset.fingerprint {
            trainer.recordChange("data \(fingerprint) → \(dataset.fingerprint) (--accept-changes)")
        }
        trainer.setDataFingerprint(dataset.fingerprint)
        if let epochs, let trained = try? RunConfiguration.parse(try JSONParser.parse(checkpoint.configuration)), trained.training.numEpochs != epochs {
            trainer.recordChange("training.num_epochs \(trained.training.numEpochs) → \(epochs) (--epochs)")
            do {
                try AtomicFile.write(JSONWriter.pretty(configuration.json), to: directory + "/config.json")
            } catch {
                throw TrainingError(error.description)
            }
        }
        if checkpoint.state.threads != threads, checkpoint.readFormat >= 2 {
            trainer.recordChange("threads \(checkpoint.state.threads) → \(threads) (--threads; results differ from here on in the last digits)")
            run.warnings.append("this session uses \(threads) thread\(threads == 1 ? "" : "s"), the run used \(checkpoint.state.threads) before: matrix products split their sums differently, so from here on its numbers differ in the last digits from a run kept at \(checkpoint.state.threads)")
        }
        trainer.threads = threads
        if !differences.isEmpty || checkpoint.state.dataFingerprint.map({ $0 != dataset.fingerprint }) == true {
            run.warnings.append("resuming with changes (recorded in summary.json): \(differences.map(\.description).joined(separator: "; "))")
        }
        return run
    }

    /// The checkpoint to continue from: `last.ckpt`, else `best.ckpt` with a note saying why and from which
    /// epoch, else nil when the run saved no checkpoint (it starts again from epoch 0). A folder whose
    /// checkpoints are all damaged is refused, naming each checkpoint's problem.
    static func chooseCheckpoint(_ directory: String) throws(TrainingError) -> (Checkpoint, String, String?)? {
        let lastPath = directory + "/checkpoints/last.ckpt", bestPath = directory + "/checkpoints/best.ckpt"
        func problem(_ path: String) -> (Checkpoint?, String?) {
            guard FileManager.default.fileExists(atPath: path) else { return (nil, nil) }
            do { return (try Checkpoint.read(path), nil) } catch { return (nil, error.reason) }
        }
        let (last, lastProblem) = problem(lastPath)
        if let last { return (last, lastPath, nil) }
        let (best, bestProblem) = problem(bestPath)
        let lastSaid = lastProblem.map { "checkpoints/last.ckpt \($0)" } ?? "checkpoints/last.ckpt is missing"
        if let best {
            let note = "\(lastSaid); continuing from checkpoints/best.ckpt, saved after epoch \(best.state.epoch - 1) (epoch \(best.state.epoch) on is trained again)"
            return (best, bestPath, note)
        }
        let again = "the run's config is kept: anneal train --config \(directory)/config.json --out NEW_FOLDER starts it again in another folder"
        if let bestProblem {
            throw TrainingError("cannot resume \(directory): \(lastSaid), and checkpoints/best.ckpt \(bestProblem); \(again)")
        }
        if lastProblem != nil {
            throw TrainingError("cannot resume \(directory): \(lastSaid) and there is no best.ckpt; \(again)")
        }
        return nil
    }

    /// A run that stopped before its first checkpoint was written: started again from epoch 0 with its saved
    /// config, which computes the same numbers again (the epochs metrics.jsonl recorded are recorded anew); the
    /// old run's partial TensorBoard file is removed, since its steps are trained again.
    static func restart(_ directory: String, epochs: Int?, threads: Int, lock: RunFolderLock, reading: DataReadOptions) throws(TrainingError) -> TrainingRun {
        let configuration: RunConfiguration
        do { configuration = try RunConfiguration.load(file: directory + "/config.json", epochs: epochs) } catch { throw TrainingError(error.description) }
        let located = try configuration.locatingData(near: directory)
        let dataset = try load(located.configuration, reading: reading)
        let trainer = try Trainer(configuration: configuration, dataset: dataset, runDirectory: directory)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.hasPrefix("events.out.tfevents.") {
            try? FileManager.default.removeItem(atPath: directory + "/" + name)
        }
        let recorded = (try? String(contentsOfFile: directory + "/metrics.jsonl", encoding: .utf8))?.split(separator: "\n").count ?? 0
        let run = try begin(trainer, dataset: dataset, in: directory, threads: threads, lock: lock)
        run.notes += located.notes
        run.warnings.append("\(directory) stopped before its first checkpoint was written\(recorded > 0 ? " (after \(recorded) epoch\(recorded == 1 ? "" : "s") recorded in metrics.jsonl, which are trained again)" : ", in epoch 0"): nothing was saved, so it starts again from epoch 0 with its config.json")
        return run
    }

    /// Temporary files (`.<name>.<pid>.tmp`) left by a run killed while writing: safe to delete once the folder
    /// is locked, since nothing else writes there.
    static func removeStaleTemporaryFiles(_ directory: String) {
        for folder in [directory, directory + "/checkpoints"] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasPrefix(".") && name.hasSuffix(".tmp") {
                try? FileManager.default.removeItem(atPath: folder + "/" + name)
            }
        }
    }

    /// The run's examples as training reads them: loaded, restricted to `data.classes`, standardised (with
    /// `standardization`, a run's saved statistics, or else fitted to the training split).
    static func load(_ configuration: RunConfiguration, standardization: FeatureStandardization? = nil,
                     reading: DataReadOptions = DataReadOptions()) throws(TrainingError) -> Dataset {
        var dataset: Dataset
        var options = reading
        options.earlyCheck = configuration.previewCheck
        do {
            dataset = try configuration.data.load(options: options)
        } catch {
            throw TrainingError(error.description)
        }
        if let classes = configuration.dataClasses {
            guard let subset = dataset.subset(labels: Set(classes.map(Int32.init))) else {
                throw TrainingError("data.classes needs labelled data, but \(dataset.name) has no labels")
            }
            if subset.count == 0 { throw TrainingError("\(dataset.name) has no example with label \(classes.map(String.init).joined(separator: ", ")) (data.classes)") }
            dataset = subset
        }
        do {
            return try configuration.prepared(dataset, fitted: standardization)
        } catch {
            throw TrainingError(error.description)
        }
    }

    /// The steps an epoch of `configuration` takes and the training examples they cover, read from its data as
    /// `anneal train` would split it (⌈training examples / batch size⌉), for `anneal schedule --config`.
    public static func stepsPerEpoch(of configuration: RunConfiguration) throws(TrainingError) -> (steps: Int, examples: Int) {
        let dataset = try load(configuration)
        let training: Int
        do { training = try configuration.split(dataset).training.count } catch { throw TrainingError(error.description) }
        let batch = configuration.training.batchSize
        return (max(1, (training + batch - 1) / batch), training)
    }

    /// Schedule warnings for this run's length and granularity, and early stopping that a periodic KL weight can
    /// fool (`earlyStoppingWarning`).
    public var scheduleWarnings: [ScheduleWarning] {
        configuration.quantities.warnings(over: RunWindow(numEpochs: configuration.training.numEpochs, stepsPerEpoch: trainer.stepsPerEpoch))
            + (Self.earlyStoppingWarning(configuration).map { [$0] } ?? [])
    }

    /// Early stopping with a KL weight that cycles: each epoch is compared with the best so far, so right after a
    /// cycle resets β to 0 (where the validation ELBO drops) a patience shorter than the cycle stops the run at
    /// its worst phase. Nil when there is no early stopping, no periodic weight, or the patience covers a cycle.
    static func earlyStoppingWarning(_ configuration: RunConfiguration) -> ScheduleWarning? {
        guard let rule = configuration.training.earlyStopping else { return nil }
        let periodic = configuration.quantities.quantities.filter { ($0.role == .klWeight || $0.role == .capacity) && $0.controller == nil }
            .compactMap { quantity in quantity.schedule.shortestPeriod.map { (quantity.name, $0) } }
        guard let (name, period) = periodic.max(by: { $0.1 < $1.1 }), period.isFinite, Double(rule.patience) < period.rounded(.up) else { return nil }
        let cycle = Int(period.rounded(.up))
        return ScheduleWarning(subject: "training.early_stopping",
                               message: "\(name) cycles every \(String(format: "%g", period)) epochs, and each epoch's \(rule.metric.rawValue) is compared with the best so far: after a cycle resets \(name) the metric drops, and a patience of \(rule.patience) epoch\(rule.patience == 1 ? "" : "s") can stop the run at its cycle's worst phase; give a patience of at least \(cycle) epochs (a whole cycle), so the same phase comes round again before it stops")
    }

    /// Trains to the end or until `shouldStop` says so (then a checkpoint of the exact position is saved), with
    /// `observers` besides the run's own metric files and TensorBoard log; then writes `summary.json` and
    /// `report.html`, whatever stopped the run (a failure writes a summary with status `failed` and is
    /// rethrown). A report that cannot be written is a warning in `warnings`, not an error.
    public func run(observers: [TrainingObserver] = [], shouldStop: () -> Bool = { false }) throws(TrainingError) -> (outcome: Trainer.Outcome, summary: TrainingSummary) {
        defer { lock.release() }
        var all = observers
        all.append(LockRefresher(lock: lock))
        let refresher = ReportRefresher(trainer: trainer, directory: directory)
        refresher.overheadLimit = reportOverheadLimit
        // A run resumed past its end (--epochs) scores its new end; until then the old scores are not its end's.
        if resumed { try? FileManager.default.removeItem(atPath: directory + "/" + RunDisentanglement.file) }
        let metrics = try MetricsLog(directory: directory, resumingAtEpoch: trainer.epoch)
        warnings += metrics.warnings
        all.append(metrics)
        if configuration.logging.tensorBoard {
            all.append(try TensorBoardLogger(runDirectory: directory, configuration: configuration, stepsPerEpoch: trainer.stepsPerEpoch, resuming: resumed))
        }
        all.append(refresher)
        defer { if let failure = refresher.failure { warnings.append(failure) } }
        let outcome: Trainer.Outcome
        do {
            outcome = try trainer.run(observers: all, shouldStop: shouldStop)
        } catch {
            finish(TrainingSummary(trainer: trainer, runDirectory: directory, status: "failed", reason: error.description), shouldStop: shouldStop)
            throw error
        }
        let summary = TrainingSummary(trainer: trainer, runDirectory: directory, outcome: outcome)
        finish(summary, shouldStop: shouldStop)
        return (outcome, summary)
    }

    /// What `logging.disentanglement_every` records, said with the start line: the unsupervised scores alone
    /// when the data has no factors.
    static func disentanglementNote(_ configuration: RunConfiguration, dataset: Dataset) -> String? {
        guard let every = configuration.logging.disentanglementEvery else { return nil }
        let when = every == 1 ? "every epoch" : "at epoch 0 and every \(every) epochs after it"
        if dataset.factors == nil {
            return "logging.disentanglement_every: \(dataset.name) has no factors (dsprites has them; give data.factors_path), so only the unsupervised scores (Gaussian total correlation, mean pairwise mutual information) of 1,000 fixed examples are recorded, \(when)"
        }
        return "logging.disentanglement_every: MIG, SAP and the unsupervised scores of 1,500 fixed examples are recorded \(when) (metrics.jsonl, TensorBoard, the report)"
    }

    /// Whether the run scores its disentanglement at its end: data with factors, enough examples, and
    /// `logging.disentanglement_at_end` not false.
    public var scoresDisentanglementAtEnd: Bool {
        configuration.logging.disentanglementAtEnd && trainer.dataset.factors != nil
            && (!trainer.split.validation.isEmpty || trainer.split.training.count >= 30)
    }

    /// Whether a run that ended (completed or stopped early) lacks its end's scores: killed while scoring, or
    /// stopped by a signal then. `anneal train --resume` of the finished run computes them.
    public var lacksDisentanglement: Bool {
        guard scoresDisentanglementAtEnd, !FileManager.default.fileExists(atPath: directory + "/" + RunDisentanglement.file),
              let summary = (try? String(contentsOfFile: directory + "/summary.json", encoding: .utf8)).flatMap({ try? JSONParser.parse($0) }),
              case .string(let status)? = summary["status"]?.kind else { return false }
        return status == "completed" || status == "stopped_early"
    }

    /// Scores the model's disentanglement against the data's factors at a fifth of disentanglement_lib's sample
    /// sizes (`RunDisentanglement.quickSizes`) into disentanglement.json; a warning when it could not (or a stop
    /// signal came first: between metrics `shouldStop` is asked, and `--resume` computes them later), else nil.
    public func scoreDisentanglement(shouldStop: () -> Bool = { false }) -> String? {
        guard scoresDisentanglementAtEnd else { return nil }
        notice?("scoring disentanglement against the data's factors (MIG, DCI, FactorVAE, SAP, unsupervised) on the posterior means of up to 3,000 examples…")
        do {
            let (blocks, notes) = try RunDisentanglement.evaluate(model: trainer.model, dataset: trainer.dataset,
                                                                  conditioned: configuration.model.specification.needsLabels,
                                                                  context: trainer.validationContext(),
                                                                  metrics: [.mig, .dci, .factorVAE, .sap, .unsupervised], sizes: RunDisentanglement.quickSizes,
                                                                  shouldStop: shouldStop)
            let examples = min(trainer.dataset.count, RunDisentanglement.quickSizes.trainCount + RunDisentanglement.quickSizes.testCount)
            try AtomicFile.write(JSONWriter.pretty(RunDisentanglement.json(blocks, notes: notes, examples: examples, seed: 0)), to: directory + "/" + RunDisentanglement.file)
            return nil
        } catch let error as EvaluationError {
            return "the disentanglement scores were not computed: \(error)\(shouldStop() ? "; anneal train --resume \(directory) computes them" : "")"
        } catch {
            return "the disentanglement scores were not written: \(error)"
        }
    }

    /// Writes summary.json, the pictures of an image model (`RunPictures`) and report.html; a failure to write
    /// any becomes a warning.
    private func finish(_ summary: TrainingSummary, shouldStop: () -> Bool) {
        if let failure = trainer.disentanglementFailure { warnings.append(failure) }
        do {
            try AtomicFile.write(JSONWriter.pretty(summary.json), to: directory + "/summary.json")
        } catch {
            warnings.append("summary.json was not written: \(error.description)")
        }
        if summary.status != "failed", summary.status != "diverged", trainer.state.globalStep > 0 {
            do { _ = try RunPictures.write(trainer, to: directory) } catch {
                warnings.append("the run's pictures were not written: \(error.description)")
            }
            if summary.status == "completed" || summary.status == "stopped_early", let warning = scoreDisentanglement(shouldStop: shouldStop) {
                warnings.append(warning)
            }
        }
        if let warning = writeReport() { warnings.append(warning) }
    }

    /// Writes report.html from the run folder; the reason when it could not, else nil.
    private func writeReport() -> String? {
        do {
            let report = try RunReport(directories: [directory])
            try AtomicFile.write(report.html, to: directory + "/report.html")
            return nil
        } catch let error as AtomicFile.WriteError {
            return "report.html was not written: \(error.description)"
        } catch {
            return "report.html was not written: \(error)"
        }
    }

    /// For a finished run that lacks its end's scores (`lacksDisentanglement`): scores it and rewrites
    /// report.html with them; the warnings (the scores' or the report's), empty when both were written.
    public func completeDisentanglement(shouldStop: () -> Bool = { false }) -> [String] {
        if let warning = scoreDisentanglement(shouldStop: shouldStop) { return [warning] }
        return writeReport().map { [$0] } ?? []
    }
}

/// Keeps the run folder's lock fresh while training (another host takes a lock over only after it goes stale).
final class LockRefresher: TrainingObserver {
    let lock: RunFolderLock
    init(lock: RunFolderLock) { self.lock = lock }
    func stepFinished(_ step: StepMetrics) { lock.refresh() }
    func epochFinished(_ metrics: EpochMetrics) { lock.refresh() }
}
