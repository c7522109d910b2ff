import RealModule

/// The shape of one cycle of a cyclical schedule, as a function of the position `u ∈ [0, 1)` in the cycle.
public enum WaveType: Hashable, Sendable {
    /// `(1 − cos 2πu)/2`: `lo` at the cycle start, `hi` mid-cycle, smooth (seed 000's default).
    case cosine
    /// `1 − |2u − 1|`: linear up to `hi` mid-cycle and linear back down.
    case triangle
    /// `min(1, u/ratio)`: linear rise over the first `ratio` of the cycle, then `hi` (Fu et al. 2019).
    case ramp(ratio: Double)

    public func fraction(_ u: Double) -> Double {
        switch self {
        case .cosine:
            return (1 - Double.cos(2 * Double.pi * u)) / 2
        case .triangle:
            return 1 - abs(2 * u - 1)
        case .ramp(let ratio):
            return min(1, u / ratio)
        }
    }

    /// The config name: the value of `wave_type`.
    public var typeName: String {
        switch self {
        case .cosine: return "cosine"
        case .triangle: return "triangle"
        case .ramp: return "ramp"
        }
    }
}
