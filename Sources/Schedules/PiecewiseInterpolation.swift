import RealModule

/// How a piecewise schedule moves between two knots `(t₀, v₀)` and `(t₁, v₁)`, with `f = (t − t₀)/(t₁ − t₀)`.
public enum PiecewiseInterpolation: String, Hashable, Sendable, CaseIterable {
    /// `v₀ + (v₁ − v₀)·f`.
    case linear
    /// `v₀ + (v₁ − v₀)·(1 − cos πf)/2`.
    case cosine
    /// `v₀` until `t₁` (a staircase; each knot's value holds until the next knot).
    case step

    func fraction(_ f: Double) -> Double {
        switch self {
        case .linear: return f
        case .cosine: return (1 - Double.cos(Double.pi * f)) / 2
        case .step: return 0
        }
    }
}
