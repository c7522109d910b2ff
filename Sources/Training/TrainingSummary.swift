import Foundation
import JSONConfig

/// How a run ended and what it achieved, for `summary.json`, the report and the lines printed at the end.
/// Every run writes one, whatever stopped it.
public struct TrainingSummary: Sendable {
    /// Where a stopped run can continue from.
    public struct ResumePoint: Sendable {
        /// The checkpoint, relative to the run folder.
        public var checkpoint: String
        public var epoch: Int
        public var globalStep: Int
        /// Whether the checkpoint was saved inside an epoch.
        public var insideEpoch: Bool
    }

    public var runDirectory: String
    /// `completed`, `interrupted`, `diverged`, `stopped_early` or `failed`.
    public var status: String
    /// Why the run stopped early, diverged or failed (nil when it completed or was interrupted).
    public var reason: String?
    public var epochs: Int
    public var globalStep: Int
    public var skippedSteps: Int
    public var parameterCount: Int
    public var firstValidationELBO: Double?
    public var bestValidationELBO: Double?
    public var bestEpoch: Int?
    /// The keep-best rule that saved `best.ckpt` (`validation_elbo` unless `training.keep_best` says otherwise).
    public var bestRule: String?
    public var final: EpochMetrics?
    /// Training time over every session of the run.
    public var seconds: Double
    /// This session's checkpoint writes: how many, and the seconds they took (within `seconds`).
    public var checkpoints = 0
    public var checkpointSeconds = 0.0
    public var sessions: Int
    public var threads: Int
    public var resume: ResumePoint?
    /// Changes made after the run started (`TrainingState.changes`).
    public var changes: [String]
    /// Why the final result is nonsense although the run went to its end, one sentence each: a reconstruction
    /// term far beyond what a model ignoring its input scores, a validation ELBO far below where the run began,
    /// a final metric that is not a number. Empty for a usable result; otherwise the ending says so and
    /// `anneal train` exits 2.
    public var problems: [String] = []

    public init(trainer: Trainer, runDirectory: String, status: String, reason: String?) {
        self.runDirectory = runDirectory
        self.status = status
        self.reason = reason
        epochs = trainer.epoch
        globalStep = trainer.globalStep
        skippedSteps = trainer.optimizer.skippedSteps
        parameterCount = trainer.parameterCount
        firstValidationELBO = trainer.firstValidationELBO
        bestValidationELBO = trainer.bestValidationELBO
        bestEpoch = trainer.bestEpoch
        bestRule = trainer.state.bestRule
        final = trainer.lastMetrics
        seconds = trainer.elapsedSeconds
        checkpoints = trainer.checkpointsWritten
        checkpointSeconds = trainer.checkpointSeconds
        sessions = trainer.state.sessions
        threads = trainer.state.threads
        changes = trainer.state.changes
        if status == "completed" || status == "stopped_early" {
            problems = Self.problems(final: trainer.lastMetrics, first: trainer.firstValidationELBO, inputBlind: trainer.inputBlindReconstruction)
        }
        if let checkpoint = try? Checkpoint.read(runDirectory + "/checkpoints/last.ckpt") {
            resume = ResumePoint(checkpoint: "checkpoints/last.ckpt", epoch: checkpoint.state.position?.epoch ?? checkpoint.state.epoch,
                                 globalStep: checkpoint.state.globalStep, insideEpoch: checkpoint.state.position != nil)
        }
    }

    public init(trainer: Trainer, runDirectory: String, outcome: Trainer.Outcome) {
        switch outcome {
        case .diverged(let reason), .stoppedEarly(let reason):
            self.init(trainer: trainer, runDirectory: runDirectory, status: outcome.status, reason: reason)
        default:
            self.init(trainer: trainer, runDirectory: runDirectory, status: outcome.status, reason: nil)
        }
    }

    public var interrupted: Bool { status == "interrupted" }

    /// The problems of a finished run's last epoch (see `problems`). `inputBlind` is the reconstruction of the
    /// best model that ignores its input (`Trainer.inputBlindReconstruction`): a reconstruction term more than
    /// 10 times that (and 10 nats) past it is nonsense; so is a validation ELBO below the first epoch's by more
    /// than its own size (and 10 nats), and a loss, ELBO, KL or mutual information that is not a number.
    static func problems(final: EpochMetrics?, first: Double?, inputBlind: Double?) -> [String] {
        guard let final else { return [] }
        var problems: [String] = []
        func text(_ value: Double) -> String { abs(value) >= 1e7 ? String(format: "%.3e", value) : String(format: "%.3f", value) }
        if let inputBlind {
            let limit = 10 * abs(inputBlind) + 10
            let worst = [("training", final.reconstruction), ("validation", final.validationReconstruction ?? -.infinity)].max { $0.1 < $1.1 }!
            if worst.1.isFinite && worst.1 > limit {
                problems.append("its \(worst.0) reconstruction term is \(text(worst.1)) nats per example, where a model that ignores its input scores \(text(inputBlind))")
            }
        }
        if let first, first.isFinite, let last = final.validationELBO, last.isFinite, last < first - max(10, abs(first)) {
            problems.append("its validation ELBO ended at \(text(last)), far below the \(text(first)) after epoch 0")
        }
        var notNumbers: [String] = []
        if !final.loss.isFinite { notNumbers.append("loss \(final.loss)") }
        if let elbo = final.validationELBO, !elbo.isFinite { notNumbers.append("validation ELBO \(elbo)") }
        for term in final.kl where !term.value.isFinite { notNumbers.append("KL \(term.name) \(term.value)") }
        for term in final.mutualInformation where !term.value.isFinite { notNumbers.append("mutual information \(term.name) \(term.value)") }
        if !notNumbers.isEmpty { problems.append("its last epoch's \(notNumbers.joined(separator: ", ")) \(notNumbers.count == 1 ? "is" : "are") not a number") }
        return problems
    }

    /// One sentence: how the run ended and what can be resumed.
    public var ending: String {
        var text: String
        switch status {
        case "completed": text = "completed \(epochs) epoch\(epochs == 1 ? "" : "s")"
        case "interrupted": text = "interrupted after \(epochs) epoch\(epochs == 1 ? "" : "s") (step \(globalStep))"
        case "stopped_early": text = "stopped early after \(epochs) epoch\(epochs == 1 ? "" : "s"): \(reason ?? "")"
        // A divergence's reason already says where ("training diverged: … (epoch 3, step 120)").
        case "diverged":
            let prefix = "training diverged: "
            text = reason.map { "diverged: " + ($0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : $0) } ?? "diverged at epoch \(epochs), step \(globalStep)"
        default: text = "\(status) at epoch \(epochs), step \(globalStep): \(reason ?? "")"
        }
        if !problems.isEmpty {
            text += ", but its result is nonsense: " + problems.joined(separator: "; ")
                + " (training went wrong without overflowing: lower the learning rate, clip gradients, or scale the data; best.ckpt holds the best epoch)"
        }
        if let resume, status != "completed" {
            text += "; it can continue from \(resume.checkpoint) (\(resume.insideEpoch ? "inside epoch" : "before epoch") \(resume.epoch), step \(resume.globalStep)) with: anneal train --resume \(runDirectory)"
        } else if status != "completed" {
            text += "; no checkpoint was saved, so it cannot be resumed: start it again"
        }
        return text
    }

    public var json: JSONValue {
        func number(_ value: Double?) -> JSONValue { value.map { .number($0) } ?? .null }
        let resumeJSON: JSONValue = resume.map { point in
            .object([("checkpoint", .string(point.checkpoint)), ("epoch", .number(point.epoch)), ("global_step", .number(point.globalStep)),
                     ("inside_epoch", .bool(point.insideEpoch)), ("command", .string("anneal train --resume \(runDirectory)"))])
        } ?? .null
        let problemsJSON: JSONValue = .array(problems.map { .string($0) })
        return .object([
            ("status", .string(status)), ("reason", reason.map { .string($0) } ?? .null), ("ending", .string(ending)),
            ("problems", problemsJSON),
            ("epochs", .number(epochs)), ("global_step", .number(globalStep)),
            ("skipped_steps", .number(skippedSteps)), ("parameters", .number(parameterCount)),
            ("first_validation_elbo", number(firstValidationELBO)), ("best_validation_elbo", number(bestValidationELBO)),
            ("best_epoch", bestEpoch.map { .number($0) } ?? .null), ("best_rule", bestRule.map { .string($0) } ?? .null), ("seconds", .number((seconds * 1000).rounded() / 1000)),
            ("checkpoints_this_session", .number(checkpoints)), ("checkpoint_seconds_this_session", .number((checkpointSeconds * 1e4).rounded() / 1e4)),
            ("sessions", .number(sessions)), ("threads", .number(threads)), ("changes", .array(changes.map { .string($0) })),
            ("resume", resumeJSON),
            ("final", final?.json ?? .null),
        ])
    }
}
