import Data
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
    /// Problems that did not stop the run (a report that could not be written), for the user to see.
    public private(set) var warnings: [String] = []

    init(directory: String, configuration: RunConfiguration, dataset: Dataset, trainer: Trainer, resumed: Bool) {
        self.directory = directory
        self.configuration = configuration
        self.dataset = dataset
        self.trainer = trainer
        self.resumed = resumed
    }

    /// A new run of `configuration` in `directory`, which must not hold a run already: loads the data, builds
    /// the model and writes `config.json`.
    public static func start(_ configuration: RunConfiguration, in directory: String) throws(TrainingError) -> TrainingRun {
        let dataset = try load(configuration)
        let trainer = try Trainer(configuration: configuration, dataset: dataset, runDirectory: directory)
        if FileManager.default.fileExists(atPath: directory + "/checkpoints/last.ckpt") {
            throw TrainingError("\(directory) already holds a run; continue it with --resume \(directory), or choose another --out")
        }
        do {
            try AtomicFile.createDirectory(directory)
        } catch {
            throw TrainingError(error.description)
        }
        do {
            try AtomicFile.write(JSONWriter.pretty(configuration.json), to: directory + "/config.json")
        } catch {
            throw TrainingError(error.description)
        }
        return TrainingRun(directory: directory, configuration: configuration, dataset: dataset, trainer: trainer, resumed: false)
    }

    /// The run in `directory`, continued from `checkpoints/last.ckpt` with the config saved in the folder;
    /// `epochs` replaces `num_epochs`.
    public static func resume(_ directory: String, epochs: Int? = nil) throws(TrainingError) -> TrainingRun {
        let configuration: RunConfiguration
        do {
            configuration = try RunConfiguration.load(file: directory + "/config.json", epochs: epochs)
        } catch {
            throw TrainingError(error.description)
        }
        let dataset = try load(configuration)
        let trainer = try Trainer(configuration: configuration, dataset: dataset, runDirectory: directory)
        let path = directory + "/checkpoints/last.ckpt"
        let checkpoint: Checkpoint
        do { checkpoint = try Checkpoint.read(path) } catch { throw TrainingError(error.description) }
        try trainer.restore(checkpoint, file: path)
        return TrainingRun(directory: directory, configuration: configuration, dataset: dataset, trainer: trainer, resumed: true)
    }

    static func load(_ configuration: RunConfiguration) throws(TrainingError) -> Dataset {
        do {
            return try configuration.data.load()
        } catch {
            throw TrainingError(error.description)
        }
    }

    /// Schedule warnings for this run's length and granularity.
    public var scheduleWarnings: [ScheduleWarning] {
        configuration.quantities.warnings(over: RunWindow(numEpochs: configuration.training.numEpochs, stepsPerEpoch: trainer.stepsPerEpoch))
    }

    /// Trains to the end or until `shouldStop` says so (then a checkpoint of the exact position is saved), with
    /// `observers` besides the run's own metric files and TensorBoard log; then writes `summary.json` and
    /// `report.html`, whatever stopped the run (a failure writes a summary with status `failed` and is
    /// rethrown). A report that cannot be written is a warning in `warnings`, not an error.
    public func run(observers: [TrainingObserver] = [], shouldStop: () -> Bool = { false }) throws(TrainingError) -> (outcome: Trainer.Outcome, summary: TrainingSummary) {
        var all = observers
        let metrics = try MetricsLog(directory: directory, resumingAtEpoch: trainer.epoch)
        warnings += metrics.warnings
        all.append(metrics)
        if configuration.logging.tensorBoard {
            all.append(try TensorBoardLogger(runDirectory: directory, configuration: configuration, stepsPerEpoch: trainer.stepsPerEpoch, resuming: resumed))
        }
        let outcome: Trainer.Outcome
        do {
            outcome = try trainer.run(observers: all, shouldStop: shouldStop)
        } catch {
            finish(TrainingSummary(trainer: trainer, runDirectory: directory, status: "failed", reason: error.description))
            throw error
        }
        let summary = TrainingSummary(trainer: trainer, runDirectory: directory, outcome: outcome)
        finish(summary)
        return (outcome, summary)
    }

    /// Writes summary.json and report.html; a failure to write either becomes a warning.
    private func finish(_ summary: TrainingSummary) {
        do {
            try AtomicFile.write(JSONWriter.pretty(summary.json), to: directory + "/summary.json")
        } catch {
            warnings.append("summary.json was not written: \(error.description)")
        }
        do {
            let report = try RunReport(directories: [directory])
            try AtomicFile.write(report.html, to: directory + "/report.html")
        } catch let error as AtomicFile.WriteError {
            warnings.append("report.html was not written: \(error.description)")
        } catch {
            warnings.append("report.html was not written: \(error)")
        }
    }
}
