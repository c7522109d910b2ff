import RealModule

/// A map of the Poincaré ball that rescales each row of a matrix along itself, y = ψ(‖x‖)·x: the exponential
/// and logarithmic maps at the origin and the projection onto a smaller ball. Formulas and clamps follow geoopt
/// (`geoopt/manifolds/stereographic/math.py`) and pvae (`pvae/manifolds/poincareball.py`), as summarised in
/// `shared/reference/hyperbolic.md`: tanh inputs at most 15, artanh inputs at most 1 − 1e-5, norms at least 1e-15.
public enum RadialMap: Sendable, Hashable {
    /// exp₀ on the ball of curvature −c, with the tangent vector scaled by s first and the result's norm capped
    /// at `maxNorm`: ψ(n) = min(tanh(s·√c·n), √c·maxNorm)/(√c·n). s = 1 is exp₀(u) = tanh(√c‖u‖)·u/(√c‖u‖);
    /// s = ½ is the wrapped normal's step from the origin, so that d(0, y) = ‖x‖ (hyperbolic.md: with this
    /// convention d(0, exp₀(u)) = 2‖u‖).
    case expMapZero(curvature: Double, tangentScale: Double, maxNorm: Double)
    /// log₀(y) = artanh(√c‖y‖)·y/(√c‖y‖), the inverse of exp₀: ψ(n) = artanh(min(√c·n, 1 − 1e-5))/(√c·n).
    case logMapZero(curvature: Double)
    /// The projection onto the ball of radius R: ψ(n) = min(1, R/n).
    case clipNorm(maxNorm: Double)

    /// geoopt's clamps.
    static let maximumTanhInput = 15.0
    static let maximumArtanhInput = 1 - 1e-5
    static let minimumNorm = 1e-15
    /// Below this argument, ψ and ψ'/n come from their Taylor series (the closed forms cancel catastrophically).
    static let seriesThreshold = 1e-3

    /// ψ(n) and ψ′(n)/n at the row norm n (the gradient of ψ(‖x‖)·x needs ψ′(‖x‖)·x/‖x‖).
    @inline(__always)
    public func evaluate(norm: Double) -> (value: Double, derivativeOverNorm: Double) {
        let n = Swift.max(norm, Self.minimumNorm)
        switch self {
        case .expMapZero(let c, let s, let maxNorm):
            let k = c.squareRoot()
            let a = s * k * n
            let cap = k * maxNorm  // tanh(a) may not exceed √c·R
            let t = Double.tanh(Swift.min(a, Self.maximumTanhInput))
            if t >= cap {  // projected: y = R·x/‖x‖
                let value = cap / (k * n)
                return (value, -value / (n * n))
            }
            if a < Self.seriesThreshold {  // tanh(a)/a = 1 − a²/3 + 2a⁴/15 − …
                let a2 = a * a
                return (s * (1 - a2 / 3 + 2 * a2 * a2 / 15), s * s * s * c * (-2.0 / 3 + 8 * a2 / 15))
            }
            let slope = a < Self.maximumTanhInput ? s * k * (1 - t * t) : 0  // d tanh(a)/dn
            return (t / (k * n), (slope * n - t) / (k * n * n * n))
        case .logMapZero(let c):
            let k = c.squareRoot()
            let b = k * n
            if b >= Self.maximumArtanhInput {
                let value = Double.atanh(Self.maximumArtanhInput) / b
                return (value, -value / (n * n))
            }
            let b2 = b * b
            if b < Self.seriesThreshold {  // artanh(b)/b = 1 + b²/3 + b⁴/5 + …
                return (1 + b2 / 3 + b2 * b2 / 5, c * (2.0 / 3 + 4 * b2 / 5))
            }
            let artanh = Double.atanh(b)
            return (artanh / b, c * (b / (1 - b2) - artanh) / (b2 * b))
        case .clipNorm(let maxNorm):
            guard norm > maxNorm else { return (1, 0) }
            return (maxNorm / n, -maxNorm / (n * n * n))
        }
    }
}
