import JSONConfig
import RealModule

/// GECO, the generalised ELBO with constrained optimisation (Rezende & Viola 2018, "Taming VAEs"), as the
/// Genesis code runs it (applied-ai-lab/genesis `utils/geco.py`): the KL weight is a Lagrange multiplier
/// that grows while the reconstruction error is better than a goal and shrinks while it is worse.
///
/// After each step with reconstruction error r (the batch-mean negative log-likelihood per example, nats):
/// - `ema ← α·ema + (1 − α)·r` (α 0.99; the first measurement initialises it),
/// - `c = goal − ema`, `λ ← clamp(λ·exp(step·c·(speedup if c > 0 else 1)), min, max)` (speedup 10, bounds
///   1e-10 and 1e10 as Genesis),
/// - on a KL weight the value is λ (loss = reconstruction + λ·KL); on `reconstruction_weight` it is 1/λ
///   (loss = reconstruction/λ + KL, the same optimum scaled).
///
/// λ starts at `initial` (1). Its state is the clamped λ itself, so it cannot wind up; after a saturation it
/// leaves its bound on the first step the moving average crosses the goal. The goal is in the measurement's
/// units (nats per example).
///
/// Config: `{"type": "geco", "goal": 60, "step": 0.001, "alpha": 0.99, "speedup": 10, "initial": 1}`.
public struct GECOController: FeedbackController, Hashable {
    public var goal: Double
    public var step: Double
    public var alpha: Double
    public var speedup: Double
    public var initial: Double
    public var minimum: Double
    public var maximum: Double
    public var measurement: String
    /// Whether the quantity is the reconstruction weight (value 1/λ) rather than a KL weight (λ).
    public var weighsReconstruction: Bool

    public init(goal: Double, step: Double = 1e-3, alpha: Double = 0.99, speedup: Double = 10, initial: Double = 1, minimum: Double = 1e-10,
                maximum: Double = 1e10, measurement: String = "reconstruction", weighsReconstruction: Bool = false) {
        self.goal = goal
        self.step = step
        self.alpha = alpha
        self.speedup = speedup
        self.initial = initial
        self.minimum = minimum
        self.maximum = maximum
        self.measurement = measurement
        self.weighsReconstruction = weighsReconstruction
    }

    public static let definition = ControllerTypeDefinition(name: "geco", meaning: "GECO: a Lagrange multiplier on the KL that holds the reconstruction error at a goal") { p, context throws(ConfigError) in
        func number(_ key: String, _ fallback: Double, _ allowed: String, _ valid: (Double) -> Bool) throws(ConfigError) -> Double {
            let value = try p.number(key, default: fallback)
            if !(value.isFinite && valid(value)) { throw p.error(at: key, "must be \(allowed), got \(p.node(key)!.value.briefDescription)") }
            return value
        }
        let goal = try p.required("goal", "the reconstruction error to hold, in nats per example").number()
        if !goal.isFinite { throw p.error(at: "goal", "must be a finite number of nats per example") }
        let step = try number("step", 1e-3, "a positive number (how fast λ moves per nat of constraint)") { $0 > 0 }
        let alpha = try number("alpha", 0.99, "in [0, 1) (the moving average's memory)") { $0 >= 0 && $0 < 1 }
        let speedup = try number("speedup", 10, "≥ 1 (the step's multiplier while the error is better than the goal)") { $0 >= 1 }
        let minimum = try number("min", 1e-10, "a positive number") { $0 > 0 }
        let maximum = try number("max", 1e10, "a number above min (\(minimum))") { $0 > minimum }
        let initial = try number("initial", 1, "in [min, max] = [\(minimum), \(maximum)]") { $0 >= minimum && $0 <= maximum }
        let measurement = try p.string("measure") ?? "reconstruction"
        return GECOController(goal: goal, step: step, alpha: alpha, speedup: speedup, initial: initial, minimum: minimum, maximum: maximum,
                              measurement: measurement, weighsReconstruction: context.quantity == "reconstruction_weight")
    }

    public var typeName: String { "geco" }
    public var readsSchedule: Bool { false }

    public var parametersJSON: JSONValue {
        .object([("goal", .number(goal)), ("step", .number(step)), ("alpha", .number(alpha)), ("speedup", .number(speedup)), ("initial", .number(initial)),
                 ("min", .number(minimum)), ("max", .number(maximum)), ("measure", .string(measurement))])
    }

    public var summary: String {
        "GECO holding \(measurement) at \(Format.short(goal)) (step \(Format.short(step)), α \(Format.short(alpha)), speedup \(Format.short(speedup)))\(weighsReconstruction ? ", as 1/λ on the reconstruction" : "")"
    }

    public func initialState() -> ControllerState {
        ControllerState([("measured", 0), ("ema", 0), ("constraint", 0), ("lambda", initial)])
    }

    public func updated(_ state: ControllerState, observation: Observation, scheduled: Double) -> ControllerState {
        guard let measured = observation[measurement], measured.isFinite else { return state }
        let ema = state["measured"] == 0 ? measured : alpha * state["ema"] + (1 - alpha) * measured
        let constraint = goal - ema
        let exponent = step * constraint * (constraint > 0 ? speedup : 1)
        let lambda = min(max(state["lambda"] * Double.exp(exponent), minimum), maximum)
        return ControllerState([("measured", 1), ("ema", ema), ("constraint", constraint), ("lambda", lambda)])
    }

    public func value(in state: ControllerState, scheduled: Double) -> Double {
        weighsReconstruction ? 1 / state["lambda"] : state["lambda"]
    }
}
