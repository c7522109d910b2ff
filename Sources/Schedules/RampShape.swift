import RealModule

/// The shape of a warm-up from its start value to its end value, as a function of the fraction `p ∈ [0, 1]`.
public enum RampShape: Hashable, Sendable {
    /// `f(p) = p`.
    case linear
    /// `f(p) = (1 − cos πp)/2`: slow at both ends.
    case cosine
    /// `f(p) = (1 − e^(−r·p)) / (1 − e^(−r))`: a saturating exponential that is exactly 0 at `p = 0` and
    /// exactly 1 at `p = 1`. `rate` r > 0 bends it: large r rises fast and flattens early; r → 0 tends to linear.
    case exponential(rate: Double)

    /// The shape's progress `f(p)` for `p ∈ [0, 1]`; exactly 0 at 0 and exactly 1 at 1.
    public func fraction(_ p: Double) -> Double {
        if p <= 0 { return 0 }
        if p >= 1 { return 1 }
        switch self {
        case .linear:
            return p
        case .cosine:
            return (1 - Double.cos(Double.pi * p)) / 2
        case .exponential(let rate):
            // expm1 keeps precision for small r·p: (1 − e^(−rp)) = −expm1(−rp).
            return Double.expMinusOne(-rate * p) / Double.expMinusOne(-rate)
        }
    }

    /// The config name of the shape: the `beta_scheduler_type` that selects it.
    public var typeName: String {
        switch self {
        case .linear: return "linear"
        case .cosine: return "cosine"
        case .exponential: return "exponential"
        }
    }
}
