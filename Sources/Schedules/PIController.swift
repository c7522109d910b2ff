import JSONConfig
import RealModule

/// ControlVAE's PI controller (Shao et al. 2020, "ControlVAE: Controllable Variational Autoencoder"): keeps a
/// measured KL near a target by moving the weight.
///
/// With the error `e = target − measured` after each step:
/// - `P = Kp / (1 + e^e)` (a sigmoid: large when the KL is above target),
/// - `I ← I − Ki·e`, but only when that does not push an output already at a bound further out
///   (conditional integration: the integrator freezes while the output is saturated, so an unreachable
///   target cannot wind it up, and the output leaves its bound on the first step the error changes sign),
/// - `output = clamp(P + I + min, min, max)`.
///
/// Defaults are the paper's: Kp 0.01, Ki 1e-4 (the official code writes Ki negative and adds; the same
/// thing), min 0, max 1. Before the first measurement the output is `min`. The official anti-windup guard
/// (`W < 0 and W >= 1`) can never fire; this one does (tested on a synthetic loop).
///
/// Config: `{"type": "pi", "target": 3.0, "kp": 0.01, "ki": 0.0001, "min": 0, "max": 1, "measure": "kl"}`.
public struct PIController: FeedbackController, Hashable {
    public var target: Double
    public var proportionalGain: Double
    public var integralGain: Double
    public var minimum: Double
    public var maximum: Double
    public var measurement: String

    public init(target: Double, proportionalGain: Double = 0.01, integralGain: Double = 1e-4, minimum: Double = 0, maximum: Double = 1, measurement: String) {
        self.target = target
        self.proportionalGain = proportionalGain
        self.integralGain = integralGain
        self.minimum = minimum
        self.maximum = maximum
        self.measurement = measurement
    }

    public static let definition = ControllerTypeDefinition(name: "pi", meaning: "ControlVAE's PI controller: moves the weight so the measured KL approaches target") { p, context throws(ConfigError) in
        let target = try p.required("target", "the measurement to hold, in nats (e.g. the KL target)").number()
        if target < 0 { throw p.error(at: "target", "must be ≥ 0 nats, got \(Format.number(target))") }
        let kp = try p.number("kp", default: 0.01)
        let ki = try p.number("ki", default: 1e-4)
        if kp < 0 { throw p.error(at: "kp", "must be ≥ 0, got \(Format.number(kp))") }
        if ki < 0 { throw p.error(at: "ki", "must be ≥ 0 (the sign is built in: a KL above target raises the weight), got \(Format.number(ki))") }
        let minimum = try p.number("min", default: 0)
        let maximum = try p.number("max", default: 1)
        if minimum < 0 { throw p.error(at: "min", "must be ≥ 0, got \(Format.number(minimum))") }
        if maximum <= minimum { throw p.error(at: "max", "must be greater than min (\(Format.number(minimum))), got \(Format.number(maximum))") }
        let measurement = try ControllerTypeDefinition.measurement(p, context)
        return PIController(target: target, proportionalGain: kp, integralGain: ki, minimum: minimum, maximum: maximum, measurement: measurement)
    }

    public var typeName: String { "pi" }
    public var readsSchedule: Bool { false }

    public var parametersJSON: JSONValue {
        .object([("target", .number(target)), ("kp", .number(proportionalGain)), ("ki", .number(integralGain)),
                 ("min", .number(minimum)), ("max", .number(maximum)), ("measure", .string(measurement))])
    }

    public var summary: String {
        "PI controller holding \(measurement) at \(Format.short(target)) (Kp \(Format.short(proportionalGain)), Ki \(Format.short(integralGain)), in [\(Format.short(minimum)), \(Format.short(maximum))])"
    }

    public func initialState() -> ControllerState {
        ControllerState([("error", 0), ("integral", 0), ("output", minimum)])
    }

    public func updated(_ state: ControllerState, observation: Observation, scheduled: Double) -> ControllerState {
        guard let measured = observation[measurement], measured.isFinite else { return state }
        let error = target - measured
        let proportional = proportionalGain / (1 + Double.exp(error))
        var integral = state["integral"]
        let candidate = integral - integralGain * error
        let unclamped = proportional + candidate + minimum
        let pushesUp = candidate > integral, pushesDown = candidate < integral
        // Integrate unless the output would sit beyond a bound in the direction the integrator is moving.
        if !((unclamped > maximum && pushesUp) || (unclamped < minimum && pushesDown)) { integral = candidate }
        let output = min(max(proportional + integral + minimum, minimum), maximum)
        return ControllerState([("error", error), ("integral", integral), ("output", output)])
    }

    public func value(in state: ControllerState, scheduled: Double) -> Double { state["output"] }
}
