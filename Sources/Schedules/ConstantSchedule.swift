import JSONConfig

/// β (or any quantity) held fixed: `value(t) = value`.
///
/// Config: `{"beta_scheduler_type": "constant", "beta_scheduler_params": {"beta": 1.0}}`. The easy switch back
/// to a plain VAE (β = 1) or a fixed-β β-VAE that users ask for (ccpem/affinity-vae #88).
public struct ConstantSchedule: ProgressSchedule, Hashable {
    public var value: Double

    public init(value: Double) {
        self.value = value
    }

    public func value(at progress: TrainingProgress) -> Double { value }
}

extension ConstantSchedule: ScheduleKind {
    /// `constant`: `{"beta": 1}` (or `"value"`); in a context with a base value (`lr_scheduler`), the base.
    public static let definition = ScheduleTypeDefinition(names: ["constant"], meaning: "a fixed value") { _, p, reader throws(ConfigError) in
        if let key = try p.oneOf(["beta", "value"]) { return ConstantSchedule(value: try reader.nonNegative(p, key, default: nil)) }
        if reader.base != nil { return ConstantSchedule(value: try reader.baseValue(p)) }
        return ConstantSchedule(value: 1)
    }

    public var typeName: String { "constant" }
    public var parametersJSON: JSONValue { .object([("beta", .number(value))]) }
    public var summary: String { "constant \(Format.short(value))" }
}
