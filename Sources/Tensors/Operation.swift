/// What produced a graph node, with the ids of its inputs: the tape entry that backward turns into gradients.
/// Cases hold only integers and scalars, so recording one allocates nothing.
public enum Operation: Sendable {
    case constant
    case parameter(index: Int)
    /// `op(a)·op(b)`.
    case matmul(a: Int, b: Int, transposeA: Bool, transposeB: Bool)
    /// `x·Wᵀ + b` with W stored out × in, as PyTorch's `nn.Linear`.
    case linear(x: Int, weight: Int, bias: Int?)
    /// `f(x·Wᵀ + b)` in one node, for an activation f whose derivative follows from its output
    /// (`UnaryOperation.derivativeFollowsFromOutput`): the pre-activation is never stored.
    case linearActivation(x: Int, weight: Int, bias: Int?, activation: UnaryOperation)
    case addRowVector(x: Int, row: Int)
    case add(a: Int, b: Int)
    case subtract(a: Int, b: Int)
    case multiply(a: Int, b: Int)
    case unary(x: Int, operation: UnaryOperation)
    /// Σ over columns (rows × 1), over rows (1 × columns) or all (1 × 1), times `factor` (1, or 1/n for means).
    case sumOverColumns(x: Int, factor: Double)
    case sumOverRows(x: Int, factor: Double)
    case sumAll(x: Int, factor: Double)
    case groupLogSumExp(x: Int, groupSize: Int)
    case groupSoftmax(x: Int, groupSize: Int, log: Bool)
    case concatenateColumns(a: Int, b: Int)
    case sliceColumns(x: Int, start: Int)
    /// `x[i, g·size + label[i, g]]` for each row i and group g.
    case gather(x: Int, labels: Int, groupSize: Int)
    case binaryCrossEntropy(logits: Int, targets: Int, sigmoid: Int)
    case categoricalCrossEntropy(logits: Int, labels: Int, groupSize: Int, probabilities: Int)
    /// Σⱼ (p − t)² per row.
    case squaredError(prediction: Int, target: Int)
    /// Σⱼ ½(log 2π + lv + (t − μ)²·e^(−lv)) per row; `logVariance` may be rows × columns or 1 × columns.
    case gaussianNegativeLogLikelihood(mean: Int, logVariance: Int, target: Int)
    case klStandardNormal(mean: Int, logVariance: Int)
    /// Element-wise KL(N(μq, e^lvq) ‖ N(μp, e^lvp)).
    case klDiagonalGaussians(meanQ: Int, logVarianceQ: Int, meanP: Int, logVarianceP: Int)
    case reparameterize(mean: Int, logVariance: Int, noise: Int)
    /// A Poincaré-ball operation (`Graph+Hyperbolic.swift`).
    case hyperbolic(HyperbolicOperation)
    /// A convolution or transposed convolution (its geometry is `Graph.convolutions[geometry]`), with an
    /// activation fused after the bias when its derivative follows from its output.
    case convolution(x: Int, weight: Int, bias: Int?, geometry: Int, activation: UnaryOperation?)
    /// The same values under another per-example layout (no copy).
    case reshape(x: Int)
}
