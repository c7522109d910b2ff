import JSONConfig

/// The homeostatic controller of the phased hyperbolic recipe: a moving average of a measurement, and a
/// multiplicative scale on the quantity's scheduled value that moves when the average leaves a band around
/// a target.
///
/// After each step with measurement m:
/// - `ema ← (1 − rate)·ema + rate·m` (rate 0.1, the recipe's EMA 0.9; the first measurement initialises it,
///   where the recipe starts from 0 and so reads "too low" for its first steps),
/// - `ema > high·target` (1.5) → factor `scale_above` (0.95); `ema < low·target` (0.5) → `scale_below` (1.05);
///   inside the band → 1,
/// - `accumulate: true` (the default): `scale ← clamp(scale·factor, min_scale, max_scale)`, a multiplicative
///   integrator whose state is its clamped output, so it cannot wind up: it leaves a bound on the first step
///   the average is back on the other side of the band, after n = ⌈ln((b − m′)/(ema − m′)) / ln(1 − rate)⌉
///   steps for a new steady measurement m′ and band edge b.
///   `accumulate: false`: `scale = factor` for this step only, as the recipe's code applies it.
/// - value = scheduled · scale.
///
/// The recipe's factors lower β when the KL is high (0.95 above, 1.05 below), which pushes the KL further
/// from the target; a controller that holds the KL at its target swaps them (`scale_above: 1.05`,
/// `scale_below: 0.95`). For the radial loss the recipe has `scale_below: 0.9`, `scale_above: 1` on the radius
/// with target 0.5. Defaults are the recipe's KL values.
///
/// Config: `{"type": "homeostatic", "target": 5, "measure": "kl", "rate": 0.1, "low": 0.5, "high": 1.5,
/// "scale_below": 1.05, "scale_above": 0.95, "accumulate": true, "min_scale": 0.01, "max_scale": 100}`.
public struct HomeostaticController: FeedbackController, Hashable {
    public var target: Double
    public var measurement: String
    public var rate: Double
    public var low: Double
    public var high: Double
    public var scaleBelow: Double
    public var scaleAbove: Double
    public var accumulate: Bool
    public var minimumScale: Double
    public var maximumScale: Double

    public init(target: Double, measurement: String, rate: Double = 0.1, low: Double = 0.5, high: Double = 1.5, scaleBelow: Double = 1.05,
                scaleAbove: Double = 0.95, accumulate: Bool = true, minimumScale: Double = 0.01, maximumScale: Double = 100) {
        self.target = target
        self.measurement = measurement
        self.rate = rate
        self.low = low
        self.high = high
        self.scaleBelow = scaleBelow
        self.scaleAbove = scaleAbove
        self.accumulate = accumulate
        self.minimumScale = minimumScale
        self.maximumScale = maximumScale
    }

    public static let definition = ControllerTypeDefinition(name: "homeostatic", meaning: "scales the scheduled value when a moving average of a measurement leaves a band around a target") { p, context throws(ConfigError) in
        func positive(_ key: String, _ fallback: Double, _ meaning: String) throws(ConfigError) -> Double {
            let value = try p.number(key, default: fallback)
            if !(value > 0 && value.isFinite) { throw p.error(at: key, "must be a positive number (\(meaning)), got \(p.node(key)!.value.briefDescription)") }
            return value
        }
        let target = try p.required("target", "the measurement's target (e.g. 5 nats of KL, or a radius of 0.5)").number()
        if !(target > 0 && target.isFinite) { throw p.error(at: "target", "must be a positive number, got \(p.node("target")!.value.briefDescription)") }
        let rate = try positive("rate", 0.1, "the weight of each new measurement in the moving average, in (0, 1]")
        if rate > 1 { throw p.error(at: "rate", "must be in (0, 1] (the weight of each new measurement in the moving average), got \(p.node("rate")!.value.briefDescription)") }
        let low = try positive("low", 0.5, "the band's lower edge as a multiple of target")
        let high = try positive("high", 1.5, "the band's upper edge as a multiple of target")
        if high < low { throw p.error(at: "high", "must be ≥ low (\(low)), got \(high)") }
        let scaleBelow = try positive("scale_below", 1.05, "the factor applied while the average is below the band")
        let scaleAbove = try positive("scale_above", 0.95, "the factor applied while the average is above the band")
        let accumulate = try p.bool("accumulate") ?? true
        let minimumScale = try positive("min_scale", 0.01, "the smallest scale")
        let maximumScale = try positive("max_scale", 100, "the largest scale")
        if maximumScale < minimumScale { throw p.error(at: "max_scale", "must be ≥ min_scale (\(minimumScale)), got \(maximumScale)") }
        if !accumulate, let key = ["min_scale", "max_scale"].first(where: p.contains) {
            throw p.error(at: key, "applies only with accumulate: true (without accumulation the scale is one step's factor)")
        }
        let measurement = try ControllerTypeDefinition.measurement(p, context)
        return HomeostaticController(target: target, measurement: measurement, rate: rate, low: low, high: high, scaleBelow: scaleBelow,
                                     scaleAbove: scaleAbove, accumulate: accumulate, minimumScale: minimumScale, maximumScale: maximumScale)
    }

    public var typeName: String { "homeostatic" }
    public var readsSchedule: Bool { true }

    public var parametersJSON: JSONValue {
        var members: [(String, JSONValue)] = [("target", .number(target)), ("measure", .string(measurement)), ("rate", .number(rate)), ("low", .number(low)),
                                              ("high", .number(high)), ("scale_below", .number(scaleBelow)), ("scale_above", .number(scaleAbove)),
                                              ("accumulate", .bool(accumulate))]
        if accumulate { members += [("min_scale", .number(minimumScale)), ("max_scale", .number(maximumScale))] }
        return .object(members)
    }

    public var summary: String {
        "homeostatic on \(measurement) (target \(Format.short(target)), band [\(Format.short(low)), \(Format.short(high))]×, ×\(Format.short(scaleBelow)) below, ×\(Format.short(scaleAbove)) above, \(accumulate ? "accumulating in [\(Format.short(minimumScale)), \(Format.short(maximumScale))]" : "per step"))"
    }

    public func initialState() -> ControllerState {
        ControllerState([("measured", 0), ("ema", 0), ("scale", 1)])
    }

    /// The factor for a moving average `ema`.
    public func factor(ema: Double) -> Double {
        if ema > high * target { return scaleAbove }
        if ema < low * target { return scaleBelow }
        return 1
    }

    public func updated(_ state: ControllerState, observation: Observation, scheduled: Double) -> ControllerState {
        guard let measured = observation[measurement], measured.isFinite else { return state }
        let ema = state["measured"] == 0 ? measured : (1 - rate) * state["ema"] + rate * measured
        let factor = factor(ema: ema)
        let scale = accumulate ? min(max(state["scale"] * factor, minimumScale), maximumScale) : factor
        return ControllerState([("measured", 1), ("ema", ema), ("scale", scale)])
    }

    public func value(in state: ControllerState, scheduled: Double) -> Double { scheduled * state["scale"] }
}
