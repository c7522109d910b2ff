/// The element-wise functions of one tensor, with their derivatives (in `TensorScalar.unaryBackward`).
public enum UnaryOperation: Sendable, Hashable {
    case relu
    /// `x` for x > 0, `slope·x` otherwise.
    case leakyRelu(slope: Double)
    /// `x` for x > 0, `α·(eˣ − 1)` otherwise.
    case elu(alpha: Double)
    case tanh
    case sigmoid
    /// `log(1 + eˣ)`, computed as `max(x, 0) + log1p(e^(−|x|))` so it never overflows.
    case softplus
    case exp
    case log
    case square
    case sqrt
    /// `factor·x`.
    case scale(Double)
    /// `x + constant`.
    case addScalar(Double)
    /// `max(x, floor)`; the gradient passes where x > floor (free bits).
    case clampMin(Double)
    /// `|x|`; its derivative is sign(x), and 0 at 0 (capacity annealing's |KL − C|).
    case absolute

    /// Whether f'(x) is a function of y = f(x) alone, so that a fused `linear` + activation can keep only
    /// its output: ReLU (y > 0), leaky ReLU with a positive slope (y > 0 ⇔ x > 0), ELU with α > 0
    /// (f' = y + α where y ≤ 0), tanh (1 − y²) and sigmoid (y·(1 − y)).
    public var derivativeFollowsFromOutput: Bool {
        switch self {
        case .relu, .tanh, .sigmoid: return true
        case .leakyRelu(let slope): return slope > 0
        case .elu(let alpha): return alpha > 0
        default: return false
        }
    }
}
