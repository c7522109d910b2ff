import JSONConfig

/// Any schedule of training progress: β (KL weight), learning rate, temperature, loss weight, capacity.
///
/// A value wrapping one `ScheduleKind`. Evaluating it is one protocol call per quantity per step (no
/// allocation); equality, hashing, JSON, summaries and warnings all go through the kind. The static
/// constructors (`.cyclical(…)`, `.ramp(…)`, …) build schedules in code; `ScheduleReader` builds them from
/// configs through `ScheduleRegistry`.
public struct Schedule: ProgressSchedule, Hashable, CustomStringConvertible {
    public let kind: any ScheduleKind

    public init(_ kind: any ScheduleKind) {
        self.kind = kind
    }

    @inline(__always)
    public func value(at progress: TrainingProgress) -> Double {
        kind.value(at: progress)
    }

    public static func == (lhs: Schedule, rhs: Schedule) -> Bool {
        lhs.kind.isEqual(to: rhs.kind)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind.typeName)
        kind.hash(into: &hasher)
    }

    /// The config type name.
    public var typeName: String { kind.typeName }

    /// The parameters as the seed's JSON writes them (`beta_scheduler_params`), without the type.
    public var parametersJSON: JSONValue { kind.parametersJSON }

    /// The nested form, `{"type": NAME, …parameters}`, as hierarchical sub-schedulers are written.
    public var json: JSONValue {
        .object([("type", .string(typeName))] + (parametersJSON.members ?? []).map { ($0.key, $0.value) })
    }

    /// One line for people.
    public var summary: String { kind.summary }

    /// Warnings over `window` (see `ScheduleKind.warnings(over:)`).
    public func warnings(over window: RunWindow) -> [String] {
        guard window.numEpochs >= 1 else { return [] }
        return kind.warnings(over: window)
    }

    /// The warm-restart information at `progress`, when this schedule restarts (directly, or under `scale` /
    /// `clamp`, which do not move time); nil otherwise.
    public func restartInfo(at progress: TrainingProgress) -> RestartInfo? { kind.restartInfo(at: progress) }

    /// Whether `restartInfo(at:)` gives information for this schedule.
    public var hasRestarts: Bool { restartInfo(at: .epoch(0)) != nil }

    /// The restart epochs in `0..<epochs` (empty when the schedule has no restarts).
    public func restartEpochs(before epochs: Int) -> [Int] { kind.restartEpochs(before: epochs) }

    /// The shortest cycle in epochs, nested schedules included; nil for a schedule that does not repeat.
    public var shortestPeriod: Double? { kind.shortestPeriod }

    /// The shortest of several optional periods.
    static func shortest(_ periods: [Double?]) -> Double? { periods.compactMap { $0 }.min() }

    /// The schedule as compact JSON in its nested form: exact and readable back.
    public var description: String { json.description }

    // MARK: Constructors in code

    public static func constant(_ schedule: ConstantSchedule) -> Schedule { Schedule(schedule) }
    public static func ramp(_ schedule: RampSchedule) -> Schedule { Schedule(schedule) }
    public static func sigmoid(_ schedule: SigmoidSchedule) -> Schedule { Schedule(schedule) }
    public static func cyclical(_ schedule: CyclicalSchedule) -> Schedule { Schedule(schedule) }
    public static func warmRestart(_ schedule: WarmRestartSchedule) -> Schedule { Schedule(schedule) }
    public static func adaptiveWarmup(_ schedule: AdaptiveWarmupSchedule) -> Schedule { Schedule(schedule) }
    public static func piecewise(_ schedule: PiecewiseSchedule) -> Schedule { Schedule(schedule) }
    public static func joined(_ schedule: JoinedSchedule) -> Schedule { Schedule(schedule) }
    public static func repeated(_ schedule: RepeatedSchedule) -> Schedule { Schedule(schedule) }
    public static func scaled(_ schedule: ScaledSchedule) -> Schedule { Schedule(schedule) }
    public static func clamped(_ schedule: ClampedSchedule) -> Schedule { Schedule(schedule) }
    public static func stepDecay(_ schedule: StepDecaySchedule) -> Schedule { Schedule(schedule) }
    public static func exponentialDecay(_ schedule: ExponentialDecaySchedule) -> Schedule { Schedule(schedule) }
    public static func cosineAnnealing(_ schedule: CosineAnnealingSchedule) -> Schedule { Schedule(schedule) }
    public static func cosineWarmRestarts(_ schedule: CosineWarmRestartsSchedule) -> Schedule { Schedule(schedule) }
    public static func linearWarmup(_ schedule: LinearWarmupSchedule) -> Schedule { Schedule(schedule) }
}
