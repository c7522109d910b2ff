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
    public var sessions: Int
    public var threads: Int
    public var resume: ResumePoint?
    /// Changes made after the run started (`TrainingState.changes`).
    public var changes: [String]

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
        sessions = trainer.state.sessions
        threads = trainer.state.threads
        changes = trainer.state.changes
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
        if let resume, status != "completed" {
            text += "; it can continue from \(resume.checkpoint) (\(resume.insideEpoch ? "inside epoch" : "before epoch") \(resume.epoch), step \(resume.globalStep)) with: anneal train --resume \(runDirectory)"
        } else if status != "completed" {
            text += "; no checkpoint was saved, so it cannot be resumed: start it again"
        }
        return text
    }

    public var json: JSONValue {
        func number(_ value: Double?) -> JSONValue { value.map { .number($0) } ?? .null }
        return .object([
            ("status", .string(status)), ("reason", reason.map { .string($0) } ?? .null), ("ending", .string(ending)),
            ("epochs", .number(epochs)), ("global_step", .number(globalStep)),
            ("skipped_steps", .number(skippedSteps)), ("parameters", .number(parameterCount)),
            ("first_validation_elbo", number(firstValidationELBO)), ("best_validation_elbo", number(bestValidationELBO)),
            ("best_epoch", bestEpoch.map { .number($0) } ?? .null), ("best_rule", bestRule.map { .string($0) } ?? .null), ("seconds", .number((seconds * 1000).rounded() / 1000)),
            ("sessions", .number(sessions)), ("threads", .number(threads)), ("changes", .array(changes.map { .string($0) })),
            ("resume", resume.map { point in
                .object([("checkpoint", .string(point.checkpoint)), ("epoch", .number(point.epoch)), ("global_step", .number(point.globalStep)),
                         ("inside_epoch", .bool(point.insideEpoch)), ("command", .string("anneal train --resume \(runDirectory)"))])
            } ?? .null),
            ("final", final?.json ?? .null),
        ])
    }
}
