/// A learning-rate schedule (config `training.learning_rate` + `training.lr_scheduler`).
///
/// Its own enum because the learning-rate names mean other things than the β names of the same spelling:
/// an LR `cosine` anneals down from the base rate, a β `cosine` warms up to `max_beta`.
public indirect enum LearningRateSchedule: ProgressSchedule, Hashable {
    case constant(ConstantSchedule)
    case step(StepDecaySchedule)
    case exponential(ExponentialDecaySchedule)
    case cosine(CosineAnnealingSchedule)
    case cosineWarmRestarts(CosineWarmRestartsSchedule)
    case warmup(LinearWarmupSchedule)

    public func value(at progress: TrainingProgress) -> Double {
        switch self {
        case .constant(let schedule): return schedule.value(at: progress)
        case .step(let schedule): return schedule.value(at: progress)
        case .exponential(let schedule): return schedule.value(at: progress)
        case .cosine(let schedule): return schedule.value(at: progress)
        case .cosineWarmRestarts(let schedule): return schedule.value(at: progress)
        case .warmup(let schedule): return schedule.value(at: progress)
        }
    }

    /// The base learning rate (`training.learning_rate`).
    public var baseLearningRate: Double {
        switch self {
        case .constant(let schedule): return schedule.value
        case .step(let schedule): return schedule.base
        case .exponential(let schedule): return schedule.base
        case .cosine(let schedule): return schedule.base
        case .cosineWarmRestarts(let schedule): return schedule.base
        case .warmup(let schedule): return schedule.base
        }
    }
}
