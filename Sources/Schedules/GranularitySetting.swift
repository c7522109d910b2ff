/// `training.beta_granularity`: when β and the other scheduled weights (temperature, loss weights) are
/// evaluated. The learning rate and capacity are always evaluated per step.
///
/// - `auto` (default): once per epoch, as the seed's training loop does, unless the schedule has a cycle
///   (a cyclical wave, a `repeat`, a warm restart) shorter than `autoStepThreshold` epochs; such a cycle is
///   evaluated per step, because sampling it once per epoch aliases it (a 1-epoch cycle would give β = 0 in
///   every epoch; a 2-epoch ramp cycle 0, 1, 0, 1, …). So the default β, 4 cycles over the run, follows its
///   cycles at any run length.
/// - `epoch`: always once per epoch (warned about when that aliases a short cycle).
/// - `step`: always per step (Fu et al.'s per-iteration annealing).
public enum GranularitySetting: String, CaseIterable, Hashable, Sendable {
    case auto
    case epoch
    case step

    /// Cycles shorter than this many epochs are evaluated per step under `auto`.
    public static let autoStepThreshold = 4.0

    /// How a quantity with `schedule` is evaluated under this setting.
    public func evaluation(for schedule: Schedule) -> QuantityEvaluation {
        switch self {
        case .epoch: return .epoch
        case .step: return .step
        case .auto: return (schedule.shortestPeriod ?? .infinity) < Self.autoStepThreshold ? .step : .epoch
        }
    }
}
