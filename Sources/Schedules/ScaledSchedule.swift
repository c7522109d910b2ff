/// A schedule multiplied by a constant: `factor·s(t)`.
public struct ScaledSchedule: ProgressSchedule, Hashable {
    public var schedule: Schedule
    public var factor: Double

    public init(schedule: Schedule, factor: Double) {
        self.schedule = schedule
        self.factor = factor
    }

    public func value(at progress: TrainingProgress) -> Double {
        factor * schedule.value(at: progress)
    }
}
