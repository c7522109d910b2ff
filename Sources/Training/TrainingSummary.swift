import JSONConfig

/// What a run achieved, for `summary.json` and the lines printed at the end.
public struct TrainingSummary: Sendable {
    public var runDirectory: String
    public var epochs: Int
    public var globalStep: Int
    public var skippedSteps: Int
    public var parameterCount: Int
    public var firstValidationELBO: Double?
    public var bestValidationELBO: Double?
    public var bestEpoch: Int?
    public var final: EpochMetrics?
    public var seconds: Double
    public var interrupted: Bool

    public init(trainer: Trainer, runDirectory: String, seconds: Double, interrupted: Bool) {
        self.runDirectory = runDirectory
        epochs = trainer.epoch
        globalStep = trainer.globalStep
        skippedSteps = trainer.optimizer.skippedSteps
        parameterCount = trainer.parameterCount
        firstValidationELBO = trainer.firstValidationELBO
        bestValidationELBO = trainer.bestValidationELBO
        bestEpoch = trainer.bestEpoch
        final = trainer.lastMetrics
        self.seconds = seconds
        self.interrupted = interrupted
    }

    public var json: JSONValue {
        func number(_ value: Double?) -> JSONValue { value.map { .number($0) } ?? .null }
        return .object([
            ("status", .string(interrupted ? "interrupted" : "completed")), ("epochs", .number(epochs)), ("global_step", .number(globalStep)),
            ("skipped_steps", .number(skippedSteps)), ("parameters", .number(parameterCount)),
            ("first_validation_elbo", number(firstValidationELBO)), ("best_validation_elbo", number(bestValidationELBO)),
            ("best_epoch", bestEpoch.map { .number($0) } ?? .null), ("seconds", .number((seconds * 1000).rounded() / 1000)),
            ("final", final?.json ?? .null),
        ])
    }
}
