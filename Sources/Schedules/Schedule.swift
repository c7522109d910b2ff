/// Any β (KL-weight), temperature or capacity schedule: one of the pure schedules of this module.
///
/// An enum rather than an existential so that evaluation is a switch (no dynamic dispatch, no allocation
/// on the training hot path), equality and hashing are synthesised, and composites nest naturally.
/// `Schedule+Config.swift` reads it from the seed's JSON; `Schedule+JSON.swift` writes it back.
public indirect enum Schedule: ProgressSchedule, Hashable {
    case constant(ConstantSchedule)
    /// `linear`, `cosine` and `exponential` warm-ups.
    case ramp(RampSchedule)
    case sigmoid(SigmoidSchedule)
    case cyclical(CyclicalSchedule)
    case warmRestart(WarmRestartSchedule)
    case adaptiveWarmup(AdaptiveWarmupSchedule)
    case piecewise(PiecewiseSchedule)
    case joined(JoinedSchedule)
    case repeated(RepeatedSchedule)
    case scaled(ScaledSchedule)
    case clamped(ClampedSchedule)

    public func value(at progress: TrainingProgress) -> Double {
        switch self {
        case .constant(let schedule): return schedule.value(at: progress)
        case .ramp(let schedule): return schedule.value(at: progress)
        case .sigmoid(let schedule): return schedule.value(at: progress)
        case .cyclical(let schedule): return schedule.value(at: progress)
        case .warmRestart(let schedule): return schedule.value(at: progress)
        case .adaptiveWarmup(let schedule): return schedule.value(at: progress)
        case .piecewise(let schedule): return schedule.value(at: progress)
        case .joined(let schedule): return schedule.value(at: progress)
        case .repeated(let schedule): return schedule.value(at: progress)
        case .scaled(let schedule): return schedule.value(at: progress)
        case .clamped(let schedule): return schedule.value(at: progress)
        }
    }

    /// The warm-restart information at `progress`, when this schedule is a warm restart (directly, or
    /// under `scale` / `clamp`, which do not move time); nil otherwise.
    public func restartInfo(at progress: TrainingProgress) -> RestartInfo? {
        switch self {
        case .warmRestart(let schedule): return schedule.restartInfo(at: progress)
        case .scaled(let schedule): return schedule.schedule.restartInfo(at: progress)
        case .clamped(let schedule): return schedule.schedule.restartInfo(at: progress)
        default: return nil
        }
    }

    /// Whether `restartInfo(at:)` gives information for this schedule.
    public var hasRestarts: Bool {
        restartInfo(at: .epoch(0)) != nil
    }

    /// The restart epochs in `0..<epochs` (empty when the schedule has no restarts).
    public func restartEpochs(before epochs: Int) -> [Int] {
        switch self {
        case .warmRestart(let schedule): return schedule.restartEpochs(before: epochs)
        case .scaled(let schedule): return schedule.schedule.restartEpochs(before: epochs)
        case .clamped(let schedule): return schedule.schedule.restartEpochs(before: epochs)
        default: return []
        }
    }
}
