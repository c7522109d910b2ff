/// The schedule type names a config may give (`beta_scheduler_type`, a nested `"type"`,
/// `base_scheduler_type`), with what each one is, for error messages and `anneal schedule --help`.
public enum ScheduleType: String, CaseIterable, Sendable {
    case constant
    case linear
    case cosine
    case exponential
    case sigmoid
    case cyclical
    case warmRestart = "warm_restart"
    case adaptiveWarmup = "adaptive_warmup"
    case piecewise
    case join
    case `repeat`
    case scale
    case clamp
    /// Two named KL terms, `global` and `local` (seed 000's hierarchical CVAE).
    case hierarchical
    /// Any number of named KL terms, each with its own schedule.
    case perTerm = "per_term"

    /// Types that describe one schedule (everything but the multi-term types).
    public static let singleTypes: [ScheduleType] = allCases.filter { !$0.isMultiTerm }

    /// Types a warm restart may wrap (a restart inside a restart is not a thing).
    public static let baseTypes: [ScheduleType] = singleTypes.filter { $0 != .warmRestart }

    public var isMultiTerm: Bool { self == .hierarchical || self == .perTerm }

    public static func names(_ types: [ScheduleType]) -> [String] { types.map(\.rawValue) }
}
