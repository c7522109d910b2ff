/// A schedule kept inside bounds: `min(max(s(t), lower), upper)`; either bound may be absent.
public struct ClampedSchedule: ProgressSchedule, Hashable {
    public var schedule: Schedule
    public var lower: Double?
    public var upper: Double?

    public init(schedule: Schedule, lower: Double? = nil, upper: Double? = nil) {
        self.schedule = schedule
        self.lower = lower
        self.upper = upper
    }

    public func value(at progress: TrainingProgress) -> Double {
        var value = schedule.value(at: progress)
        if let lower, value < lower { value = lower }
        if let upper, value > upper { value = upper }
        return value
    }
}
