import RealModule

/// A floating-point type tensors can hold: `Float` for training, `Double` for gradient checks.
///
/// Every loop over elements is a requirement of this protocol with a default implementation below. The
/// compiler specialises those defaults for each conforming type, so the loops run as concrete `Float` (or
/// `Double`) code even when called from generic code in another module, where a generic loop would run
/// through witness tables about a hundred times slower. `Float` replaces the transcendental kernels with
/// vectorised ones (`Float+Kernels.swift`).
public protocol TensorScalar: BinaryFloatingPoint, Real, SIMDScalar, Codable, Sendable
where RawSignificand: FixedWidthInteger {
    /// The value as a Double, and a value from a Double: concrete in each conformance. Generic kernels convert
    /// through these, because `Double(x)` on a generic scalar calls the generic `BinaryFloatingPoint` conversion,
    /// which is not specialised away and looks up witness tables per element (13 % of a Poincaré epoch). A static
    /// function rather than an initialiser, which would make `Float.init` references ambiguous.
    var doubleValue: Double { get }
    static func fromDouble(_ value: Double) -> Self

    /// Row-major `C = alpha·op(A)·op(B) + beta·C` (BLAS gemm).
    static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Self,
                     a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                     beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

    static func unary(_ operation: UnaryOperation, _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ count: Int)
    /// `dx (+)= dy·f'(x)`, with `y = f(x)` available to derivatives that are cheaper from the output.
    static func unaryBackward(_ operation: UnaryOperation, _ x: UnsafePointer<Self>, _ y: UnsafePointer<Self>,
                              _ dy: UnsafePointer<Self>, _ dx: UnsafeMutablePointer<Self>, _ count: Int, accumulate: Bool)

    /// The backward of an activation y = f(z) fused into a linear layer, from its output: dz = dy·f'(z) with
    /// f'(z) read off y (ReLU: y > 0; leaky ReLU: 1 or slope; ELU: 1 or y + α; tanh: 1 − y²; sigmoid:
    /// y·(1 − y)), rows × columns; with `biasGradient`, also biasGradient (+)= Σ_rows dz, added row after row.
    /// `dz` may be `dy`. Only for activations whose `derivativeFollowsFromOutput`.
    static func activationBackward(_ operation: UnaryOperation, _ y: UnsafePointer<Self>, _ dy: UnsafePointer<Self>, _ dz: UnsafeMutablePointer<Self>,
                                   rows: Int, columns: Int, biasGradient: UnsafeMutablePointer<Self>?, accumulate: Bool)

    /// `y = a + b`, `a − b` or `a·b`.
    static func add(_ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ count: Int)
    static func subtract(_ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ count: Int)
    static func multiply(_ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ count: Int)
    /// `y (+)= factor·x`.
    static func scaled(_ x: UnsafePointer<Self>, _ factor: Self, _ y: UnsafeMutablePointer<Self>, _ count: Int, accumulate: Bool)
    /// `y (+)= a·b` element-wise.
    static func multiplied(_ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ count: Int, accumulate: Bool)

    /// Every row of `y` (rows × columns) set to `row`, then, for `addRowVector`, plus `x`.
    static func broadcastRow(_ row: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, rows: Int, columns: Int)
    static func addRowVector(_ x: UnsafePointer<Self>, _ row: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, rows: Int, columns: Int)
    /// `out[j] (+)= factor·Σᵢ x[i, j]` (column sums: a 1 × columns result).
    static func sumOverRows(_ x: UnsafePointer<Self>, rows: Int, columns: Int, factor: Self, _ out: UnsafeMutablePointer<Self>, accumulate: Bool)
    /// `out[i] (+)= factor·Σⱼ x[i, j]` (row sums: a rows × 1 result).
    static func sumOverColumns(_ x: UnsafePointer<Self>, rows: Int, columns: Int, factor: Self, _ out: UnsafeMutablePointer<Self>, accumulate: Bool)
    /// `dx[i, j] (+)= factor·dy[i]`, or `factor·dy[j]` when `alongRows`, or `factor·dy[0]` when `scalar`.
    static func broadcastGradient(_ dy: UnsafePointer<Self>, rows: Int, columns: Int, factor: Self, mode: BroadcastMode,
                                  _ dx: UnsafeMutablePointer<Self>, accumulate: Bool)

    /// Copies `count` columns starting at `sourceStart` of each row into `destination` at `destinationStart`.
    static func copyColumns(_ source: UnsafePointer<Self>, sourceColumns: Int, sourceStart: Int,
                            _ destination: UnsafeMutablePointer<Self>, destinationColumns: Int, destinationStart: Int,
                            count: Int, rows: Int, accumulate: Bool)

    /// Per group of `groupSize` columns: log Σ eˣ (rows × groups), softmax or log-softmax (rows × columns).
    static func groupLogSumExp(_ x: UnsafePointer<Self>, rows: Int, columns: Int, groupSize: Int, _ y: UnsafeMutablePointer<Self>)
    static func groupSoftmax(_ x: UnsafePointer<Self>, rows: Int, columns: Int, groupSize: Int, log: Bool, _ y: UnsafeMutablePointer<Self>)

    /// Bernoulli likelihood with logits: `out[i] = Σⱼ max(l, 0) − l·t + log1p(e^(−|l|))`; `sigmoid` keeps σ(l).
    static func binaryCrossEntropyWithLogits(_ logits: UnsafePointer<Self>, _ targets: UnsafePointer<Self>, rows: Int, columns: Int,
                                             _ out: UnsafeMutablePointer<Self>, sigmoid: UnsafeMutablePointer<Self>)
    /// `dlogits (+)= dy[i]·(σ(l) − t)`.
    static func binaryCrossEntropyBackward(_ sigmoid: UnsafePointer<Self>, _ targets: UnsafePointer<Self>, _ dy: UnsafePointer<Self>,
                                           rows: Int, columns: Int, _ dlogits: UnsafeMutablePointer<Self>, accumulate: Bool)
    /// Categorical likelihood over groups: `out[i] = −Σ_g log softmax(l_g)[label_g]`; `probabilities` keeps the softmax.
    static func categoricalCrossEntropy(_ logits: UnsafePointer<Self>, _ labels: UnsafePointer<Int32>, rows: Int, columns: Int, groupSize: Int,
                                        _ out: UnsafeMutablePointer<Self>, probabilities: UnsafeMutablePointer<Self>)
    static func categoricalCrossEntropyBackward(_ probabilities: UnsafePointer<Self>, _ labels: UnsafePointer<Int32>, _ dy: UnsafePointer<Self>,
                                                rows: Int, columns: Int, groupSize: Int, _ dlogits: UnsafeMutablePointer<Self>, accumulate: Bool)

    /// Element-wise KL(N(μ, e^lv) ‖ N(0, 1)) = ½(μ² + e^lv − 1 − lv).
    static func klStandardNormal(_ mean: UnsafePointer<Self>, _ logVariance: UnsafePointer<Self>, _ out: UnsafeMutablePointer<Self>, _ count: Int)
    static func klStandardNormalBackward(_ mean: UnsafePointer<Self>, _ logVariance: UnsafePointer<Self>, _ dy: UnsafePointer<Self>,
                                         dMean: UnsafeMutablePointer<Self>?, accumulateMean: Bool,
                                         dLogVariance: UnsafeMutablePointer<Self>?, accumulateLogVariance: Bool, _ count: Int)
    /// `y[0..<count] = value`.
    static func fill(_ y: UnsafeMutablePointer<Self>, _ value: Self, _ count: Int)
    /// `y[i, g] = x[i, g·size + label[i, g]]` (rows × groups).
    static func gather(_ x: UnsafePointer<Self>, _ labels: UnsafePointer<Int32>, rows: Int, columns: Int, groupSize: Int, _ y: UnsafeMutablePointer<Self>)
    /// `dx[i, g·size + label[i, g]] += dy[i, g]`.
    static func gatherBackward(_ dy: UnsafePointer<Self>, _ labels: UnsafePointer<Int32>, rows: Int, columns: Int, groupSize: Int, _ dx: UnsafeMutablePointer<Self>)
    /// `dx += ∂/∂x` of log-sum-exp over groups (softmax times the group's upstream gradient).
    static func groupLogSumExpBackward(_ x: UnsafePointer<Self>, _ y: UnsafePointer<Self>, _ dy: UnsafePointer<Self>, rows: Int, columns: Int, groupSize: Int, _ dx: UnsafeMutablePointer<Self>)
    /// `dx += ∂/∂x` of softmax (`log` false) or log-softmax (`log` true) over groups, from the output `y`.
    static func groupSoftmaxBackward(_ y: UnsafePointer<Self>, _ dy: UnsafePointer<Self>, rows: Int, columns: Int, groupSize: Int, log: Bool, _ dx: UnsafeMutablePointer<Self>)
    /// `out[i] = Σⱼ (p − t)²`.
    static func squaredError(_ prediction: UnsafePointer<Self>, _ target: UnsafePointer<Self>, rows: Int, columns: Int, _ out: UnsafeMutablePointer<Self>)
    /// `dp += 2·dy[i]·(p − t)`, `dt −= 2·dy[i]·(p − t)` (either may be nil).
    static func squaredErrorBackward(_ prediction: UnsafePointer<Self>, _ target: UnsafePointer<Self>, _ dy: UnsafePointer<Self>, rows: Int, columns: Int,
                                     dPrediction: UnsafeMutablePointer<Self>?, dTarget: UnsafeMutablePointer<Self>?)
    /// `out[i] = Σⱼ ½(log 2π + lv + (t − μ)²·e^(−lv))`, `lv` per example (`perExample`) or one row for all.
    static func gaussianNegativeLogLikelihood(_ mean: UnsafePointer<Self>, _ logVariance: UnsafePointer<Self>, _ target: UnsafePointer<Self>,
                                              rows: Int, columns: Int, perExample: Bool, _ out: UnsafeMutablePointer<Self>)
    static func gaussianNegativeLogLikelihoodBackward(_ mean: UnsafePointer<Self>, _ logVariance: UnsafePointer<Self>, _ target: UnsafePointer<Self>,
                                                      _ dy: UnsafePointer<Self>, rows: Int, columns: Int, perExample: Bool,
                                                      dMean: UnsafeMutablePointer<Self>?, dLogVariance: UnsafeMutablePointer<Self>?,
                                                      dTarget: UnsafeMutablePointer<Self>?)
    /// Element-wise KL(N(μq, e^lvq) ‖ N(μp, e^lvp)).
    static func klDiagonalGaussians(_ meanQ: UnsafePointer<Self>, _ logVarianceQ: UnsafePointer<Self>, _ meanP: UnsafePointer<Self>,
                                    _ logVarianceP: UnsafePointer<Self>, _ out: UnsafeMutablePointer<Self>, _ count: Int)
    /// Adds the KL's gradients into whichever of the four are given.
    static func klDiagonalGaussiansBackward(_ meanQ: UnsafePointer<Self>, _ logVarianceQ: UnsafePointer<Self>, _ meanP: UnsafePointer<Self>,
                                            _ logVarianceP: UnsafePointer<Self>, _ dy: UnsafePointer<Self>, _ count: Int,
                                            dMeanQ: UnsafeMutablePointer<Self>?, dLogVarianceQ: UnsafeMutablePointer<Self>?,
                                            dMeanP: UnsafeMutablePointer<Self>?, dLogVarianceP: UnsafeMutablePointer<Self>?)
    /// `dlv += dz·(z − μ)/2` for `z = μ + ε·e^(lv/2)`.
    static func reparameterizeBackward(_ z: UnsafePointer<Self>, _ mean: UnsafePointer<Self>, _ dz: UnsafePointer<Self>, _ dLogVariance: UnsafeMutablePointer<Self>, _ count: Int)
    /// `dt −= dy[i]·l` (the Bernoulli loss's gradient with respect to soft targets).
    static func binaryCrossEntropyTargetBackward(_ logits: UnsafePointer<Self>, _ dy: UnsafePointer<Self>, rows: Int, columns: Int, _ dTargets: UnsafeMutablePointer<Self>)
    /// Σ x², accumulated in Double.
    static func sumOfSquares(_ x: UnsafePointer<Self>, _ count: Int) -> Double
    /// `x *= factor` in place.
    static func scaleInPlace(_ x: UnsafeMutablePointer<Self>, _ factor: Self, _ count: Int)
    /// One SGD step as PyTorch's `torch.optim.SGD` takes it (weight decay added to the gradient, momentum
    /// buffer initialised to the first gradient, optional dampening and Nesterov).
    static func sgdUpdate(_ value: UnsafeMutablePointer<Self>, _ gradient: UnsafePointer<Self>, momentumBuffer: UnsafeMutablePointer<Self>?,
                          firstStep: Bool, _ count: Int, learningRate: Self, momentum: Self, dampening: Self, weightDecay: Self, nesterov: Bool)
    /// One Adam or AdamW step as PyTorch's `torch.optim.Adam` / `AdamW` take it, with each gradient multiplied
    /// by `gradientScale` first (the clipping coefficient, or 1).
    static func adamUpdate(_ value: UnsafeMutablePointer<Self>, _ gradient: UnsafePointer<Self>, firstMoment: UnsafeMutablePointer<Self>,
                           secondMoment: UnsafeMutablePointer<Self>, _ count: Int, step: AdamStep, gradientScale: Self)
    /// A convolution or transposed convolution of `batch` NCHW images (`ConvolutionGeometry`): y = conv(x, W) + b,
    /// with `column` scratch of `geometry.columnCount` values (unused by kernels that need none).
    static func convolutionForward(_ g: ConvolutionGeometry, batch: Int, x: UnsafePointer<Self>, weight: UnsafePointer<Self>,
                                   bias: UnsafePointer<Self>?, y: UnsafeMutablePointer<Self>, column: UnsafeMutablePointer<Self>)
    /// dx (+)= its input gradient from dy.
    static func convolutionBackwardData(_ g: ConvolutionGeometry, batch: Int, dy: UnsafePointer<Self>, weight: UnsafePointer<Self>,
                                        dx: UnsafeMutablePointer<Self>, accumulate: Bool, column: UnsafeMutablePointer<Self>)
    /// dW (+)= and db (+)= its weight and bias gradients from x and dy (either may be nil).
    static func convolutionBackwardWeights(_ g: ConvolutionGeometry, batch: Int, x: UnsafePointer<Self>, dy: UnsafePointer<Self>,
                                           dWeight: UnsafeMutablePointer<Self>?, accumulateWeight: Bool,
                                           dBias: UnsafeMutablePointer<Self>?, accumulateBias: Bool, column: UnsafeMutablePointer<Self>)
    /// `z = μ + ε·e^(lv/2)`.
    static func reparameterize(_ mean: UnsafePointer<Self>, _ logVariance: UnsafePointer<Self>, _ noise: UnsafePointer<Self>,
                               _ z: UnsafeMutablePointer<Self>, _ count: Int)
}

/// How a reduction's gradient spreads back over its input.
public enum BroadcastMode: Sendable {
    /// From a rows × 1 gradient.
    case alongColumns
    /// From a 1 × columns gradient.
    case alongRows
    /// From a 1 × 1 gradient.
    case scalar
}

extension Float: TensorScalar {
    @inlinable public var doubleValue: Double { Double(self) }
    @inlinable public static func fromDouble(_ value: Double) -> Float { Float(value) }

    public static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                            a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                            beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        BLAS.sgemm(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }
}

extension Double: TensorScalar {
    @inlinable public var doubleValue: Double { self }
    @inlinable public static func fromDouble(_ value: Double) -> Double { value }

    public static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                            a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                            beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        BLAS.dgemm(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }
}
