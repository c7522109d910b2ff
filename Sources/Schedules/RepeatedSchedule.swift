/// A schedule repeated every `period` epochs: it sees `t mod P`. The cyclical-annealing authors' advice,
/// "repeat any monotonic schedule" (Fu et al. 2019), as a combinator: repeat a cosine warm-up and you have
/// cyclical annealing with a cosine ramp.
public struct RepeatedSchedule: ProgressSchedule, Hashable {
    public var schedule: Schedule
    public var period: Double

    public init(schedule: Schedule, period: Double) {
        precondition(period > 0, "period must be positive")
        self.schedule = schedule
        self.period = period
    }

    /// The start epoch of the repetition that contains `progress`.
    public func repetitionStart(at progress: TrainingProgress) -> Double {
        var remainder = progress.epoch.truncatingRemainder(dividingBy: period)
        if remainder < 0 { remainder += period }
        return progress.epoch - remainder
    }

    public func value(at progress: TrainingProgress) -> Double {
        schedule.value(at: progress.shifted(byEpochs: repetitionStart(at: progress)))
    }
}
