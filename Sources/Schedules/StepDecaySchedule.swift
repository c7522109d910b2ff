import JSONConfig
import RealModule

/// Learning rate decayed by `gamma` every `stepSize` epochs: `lr = base·γ^⌊t/step_size⌋`
/// (PyTorch's `StepLR`). Per step the rate stays constant within an epoch-aligned stair.
public struct StepDecaySchedule: ProgressSchedule, Hashable {
    public var base: Double
    public var stepSize: Double
    public var gamma: Double

    public init(base: Double, stepSize: Double, gamma: Double = 0.1) {
        precondition(stepSize > 0, "stepSize must be positive")
        self.base = base
        self.stepSize = stepSize
        self.gamma = gamma
    }

    public func value(at progress: TrainingProgress) -> Double {
        let decays = (max(0, progress.epoch) / stepSize).rounded(.down)
        return base * Double.pow(gamma, decays)
    }
}

extension StepDecaySchedule: ScheduleKind {
    /// `step_decay` (`step` in `lr_scheduler`, PyTorch's name): `base`, `step_size`, `gamma` (0.1).
    public static let definition = ScheduleTypeDefinition(names: ["step_decay"], meaning: "base·gamma^⌊t/step_size⌋ (PyTorch StepLR; \"step\" in lr_scheduler)") { _, p, reader throws(ConfigError) in
        let base = try reader.baseValue(p)
        let stepSize = try reader.length(p, "step_size", default: nil, meaning: "epochs between decays")
        let gamma = try reader.positive(p, "gamma", default: 0.1)
        return StepDecaySchedule(base: base, stepSize: stepSize, gamma: gamma)
    }

    public var typeName: String { "step_decay" }
    public var parametersJSON: JSONValue { .object([("base", .number(base)), ("step_size", .number(stepSize)), ("gamma", .number(gamma))]) }
    public var summary: String { "\(Format.short(base)) × \(Format.short(gamma)) every \(Format.short(stepSize)) epochs" }
}
