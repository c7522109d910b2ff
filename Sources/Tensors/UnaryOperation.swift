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
}
