/// A linear learning-rate warm-up joined to another learning-rate schedule: over `length` the rate rises
/// linearly from `startFactor·base` to `base`; afterwards `then` runs and sees the time since the warm-up
/// ended (so a cosine or warm-restart schedule starts its first cycle when the warm-up is over).
///
/// `lr = base·(f₀ + (1 − f₀)·p)` with `p` the warm-up fraction and `f₀ = warmup_start_factor` (default 0).
public struct LinearWarmupSchedule: ProgressSchedule, Hashable {
    public var base: Double
    public var startFactor: Double
    public var length: TrainingSpan
    public var then: LearningRateSchedule

    public init(base: Double, startFactor: Double = 0, length: TrainingSpan, then: LearningRateSchedule) {
        self.base = base
        self.startFactor = startFactor
        self.length = length
        self.then = then
    }

    /// Whether `progress` is still inside the warm-up.
    public func isWarmingUp(at progress: TrainingProgress) -> Bool {
        switch length {
        case .epochs(let epochs): return progress.epoch < epochs
        case .steps(let steps): return progress.step < steps
        }
    }

    public func value(at progress: TrainingProgress) -> Double {
        if isWarmingUp(at: progress) {
            let p = length.fraction(at: progress)
            return base * (startFactor + (1 - startFactor) * p)
        }
        switch length {
        case .epochs(let epochs): return then.value(at: progress.shifted(byEpochs: epochs))
        case .steps(let steps): return then.value(at: progress.shifted(bySteps: steps))
        }
    }
}
