import JSONConfig

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

extension ClampedSchedule: ScheduleKind {
    public static let definition = ScheduleTypeDefinition(names: ["clamp"], meaning: "a schedule kept within min and max") { _, p, reader throws(ConfigError) in
        let schedule = try reader.nestedSchedule(try p.required("schedule", "the schedule to clamp, {\"type\": …}"))
        let lower = try p.number("min")
        let upper = try p.number("max")
        if lower == nil && upper == nil { throw p.error("clamp needs \"min\", \"max\" or both") }
        if let lower, let upper, lower > upper {
            throw p.error(at: "min", "min (\(Format.number(lower))) must not exceed max (\(Format.number(upper)))")
        }
        return ClampedSchedule(schedule: schedule, lower: lower, upper: upper)
    }

    public var typeName: String { "clamp" }
    public var shortestPeriod: Double? { schedule.shortestPeriod }

    public var parametersJSON: JSONValue {
        var members: [(String, JSONValue)] = [("schedule", schedule.json)]
        if let lower { members.append(("min", .number(lower))) }
        if let upper { members.append(("max", .number(upper))) }
        return .object(members)
    }

    public var summary: String {
        "\(schedule.summary), clamped to [\(lower.map { Format.short($0) } ?? "−∞"), \(upper.map { Format.short($0) } ?? "∞")]"
    }

    public func warnings(over window: RunWindow) -> [String] { schedule.warnings(over: window) }
    public func restartInfo(at progress: TrainingProgress) -> RestartInfo? { schedule.restartInfo(at: progress) }
    public func restartEpochs(before epochs: Int) -> [Int] { schedule.restartEpochs(before: epochs) }
}
