import RealModule

/// A function of each row's norm, y = F(‖x‖) (rows × 1): the norm itself (a code's radius in the ball) and the
/// wrapped normal's volume term log(sinh(√c·r)/(√c·r)) (Nagano et al. 2019; Mathieu et al. 2019, pvae
/// `pvae/distributions/wrapped_normal.py`), which at r → 0 comes from its series r²c/6 (computed directly it
/// is 0/0: hyperbolic.md's pitfall).
public enum RadialFunction: Sendable, Hashable {
    /// F(n) = n; its gradient x/‖x‖ is taken as 0 at x = 0.
    case norm
    /// F(n) = log(sinh(√c·n)/(√c·n)).
    case logSinhRatio(curvature: Double)

    /// Below this argument, the log-sinh ratio and its derivative come from their series.
    static let seriesThreshold = 1e-2

    /// F(n) and F′(n)/n (the gradient of F(‖x‖) is F′(‖x‖)·x/‖x‖).
    @inline(__always)
    public func evaluate(norm n: Double) -> (value: Double, derivativeOverNorm: Double) {
        switch self {
        case .norm:
            return (n, n > 0 ? 1 / n : 0)
        case .logSinhRatio(let c):
            let a = c.squareRoot() * n
            let a2 = a * a
            if a < Self.seriesThreshold {
                // log(sinh a/a) = a²/6 − a⁴/180 + a⁶/2835 − …; (coth a − 1/a)/a = 1/3 − a²/45 + 2a⁴/945 − …
                return (a2 / 6 - a2 * a2 / 180 + a2 * a2 * a2 / 2835, c * (1.0 / 3 - a2 / 45 + 2 * a2 * a2 / 945))
            }
            // log sinh a = a + log(1 − e^(−2a)) − log 2, which never overflows.
            let logSinh = a + Double.log(onePlus: -Double.exp(-2 * a)) - Double.log(2)
            return (logSinh - Double.log(a), c * (1 / Double.tanh(a) - 1 / a) / a)
        }
    }
}
