import JSONConfig

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

extension RepeatedSchedule: ScheduleKind {
    public static let definition = ScheduleTypeDefinition(names: ["repeat"], meaning: "a schedule repeated every period epochs") { _, p, reader throws(ConfigError) in
        let schedule = try reader.nestedSchedule(try p.required("schedule", "the schedule to repeat, {\"type\": …}"))
        let period = try reader.length(p, "period", default: nil, meaning: "epochs between repetitions")
        return RepeatedSchedule(schedule: schedule, period: period)
    }

    public var typeName: String { "repeat" }
    public var shortestPeriod: Double? { Schedule.shortest([period, schedule.shortestPeriod]) }
    public var parametersJSON: JSONValue { .object([("schedule", schedule.json), ("period", .number(period))]) }
    public var summary: String { "\(schedule.summary), repeated every \(Format.short(period)) epochs" }

    public func warnings(over window: RunWindow) -> [String] {
        var result = WarningText.cutShort(period: period, window: window, unit: "repetition", peak: nil, schedule: self)
        if period == period.rounded(), period < 1e9 {
            let each = RunWindow(numEpochs: Int(period), stepsPerEpoch: window.stepsPerEpoch, name: "each repetition")
            result += schedule.warnings(over: each)
        }
        return result
    }
}
