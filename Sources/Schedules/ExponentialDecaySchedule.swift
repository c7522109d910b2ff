import JSONConfig
import RealModule

/// Learning rate decayed by `gamma` per epoch: `lr = base·γ^t` (PyTorch's `ExponentialLR` at integer `t`,
/// continuous in between when evaluated per step).
public struct ExponentialDecaySchedule: ProgressSchedule, Hashable {
    public var base: Double
    public var gamma: Double

    public init(base: Double, gamma: Double) {
        self.base = base
        self.gamma = gamma
    }

    public func value(at progress: TrainingProgress) -> Double {
        base * Double.pow(gamma, max(0, progress.epoch))
    }
}

extension ExponentialDecaySchedule: ScheduleKind {
    /// `exponential_decay` (`exponential` in `lr_scheduler`, PyTorch's name): `base`, `gamma` per epoch.
    public static let definition = ScheduleTypeDefinition(names: ["exponential_decay"], meaning: "base·gamma^t (PyTorch ExponentialLR; \"exponential\" in lr_scheduler)") { _, p, reader throws(ConfigError) in
        let base = try reader.baseValue(p)
        let gamma = try reader.positive(p, "gamma", default: nil, meaning: "the factor per epoch")
        return ExponentialDecaySchedule(base: base, gamma: gamma)
    }

    public var typeName: String { "exponential_decay" }
    public var parametersJSON: JSONValue { .object([("base", .number(base)), ("gamma", .number(gamma))]) }
    public var summary: String { "\(Format.short(base)) × \(Format.short(gamma))^epoch" }
}
