import JSONConfig

/// One kind of schedule: a pure function of training progress, together with its config form.
///
/// A new schedule type is one file and one registration line: a struct conforming to `ScheduleKind` with a
/// static `definition` (its config names and how to read its parameters), added to
/// `ScheduleRegistry.definitions`. Everything else (values, tables, plots, TensorBoard, warnings, JSON round
/// trips, `Codable`) works through this protocol.
public protocol ScheduleKind: Sendable {
    /// `value(t)`: depends only on `progress` (ARCHITECTURE.md, principle 1).
    func value(at progress: TrainingProgress) -> Double
    /// The config type name of this schedule (`"cyclical"`; `"linear"` or `"cosine"` for a ramp).
    var typeName: String { get }
    /// The parameters as a config writes them, without `"type"`. Reading them back gives an equal schedule;
    /// spans given as ratios are written as the epochs they resolved to.
    var parametersJSON: JSONValue { get }
    /// One line for people: "cyclical cosine wave 0 ↔ 1, 20-epoch cycles".
    var summary: String { get }
    /// What a user needs to know before spending `window` on this schedule (a warm-up that does not finish,
    /// a last cycle cut short). Each message is a sentence fragment without the quantity's name.
    func warnings(over window: RunWindow) -> [String]
    /// Where a warm-restart schedule stands at `progress`; nil for schedules without restarts.
    func restartInfo(at progress: TrainingProgress) -> RestartInfo?
    /// The restart epochs in `0..<epochs` (empty for schedules without restarts).
    func restartEpochs(before epochs: Int) -> [Int]
    /// The shortest cycle in epochs (a cyclical wave's cycle, a repetition's period, a restart interval),
    /// including those of nested schedules; nil for schedules that do not repeat.
    var shortestPeriod: Double? { get }
    /// Equality across kinds: same type and equal parameters.
    func isEqual(to other: any ScheduleKind) -> Bool
    func hash(into hasher: inout Hasher)
}

extension ScheduleKind {
    public func warnings(over window: RunWindow) -> [String] { [] }
    public func restartInfo(at progress: TrainingProgress) -> RestartInfo? { nil }
    public func restartEpochs(before epochs: Int) -> [Int] { [] }
    public var shortestPeriod: Double? { nil }
}

extension ScheduleKind where Self: Hashable {
    public func isEqual(to other: any ScheduleKind) -> Bool {
        (other as? Self) == self
    }
}
