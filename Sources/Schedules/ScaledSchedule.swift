import JSONConfig

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

extension ScaledSchedule: ScheduleKind {
    public static let definition = ScheduleTypeDefinition(names: ["scale"], meaning: "a schedule times a constant factor") { _, p, reader throws(ConfigError) in
        let schedule = try reader.nestedSchedule(try p.required("schedule", "the schedule to scale, {\"type\": …}"))
        let factor = try reader.nonNegative(p, "factor", default: nil, meaning: "the multiplier")
        return ScaledSchedule(schedule: schedule, factor: factor)
    }

    public var typeName: String { "scale" }
    public var shortestPeriod: Double? { schedule.shortestPeriod }
    public var parametersJSON: JSONValue { .object([("schedule", schedule.json), ("factor", .number(factor))]) }
    public var summary: String { "\(schedule.summary), × \(Format.short(factor))" }
    public func warnings(over window: RunWindow) -> [String] { schedule.warnings(over: window) }
    public func restartInfo(at progress: TrainingProgress) -> RestartInfo? { schedule.restartInfo(at: progress) }
    public func restartEpochs(before epochs: Int) -> [Int] { schedule.restartEpochs(before: epochs) }
}
