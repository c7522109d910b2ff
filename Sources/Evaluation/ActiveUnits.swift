import Tensors

/// Active latent units (Burda et al. 2016, "Importance Weighted Autoencoders", §5.2; jxhe/vae-lagging-encoder
/// `calc_au`): a dimension u is active when its posterior mean moves with the input,
///
///     A_u = Var_x(E_{q(z|x)}[z_u]) ≥ threshold   (0.01 by default),
///
/// the variance over the data set of the u-th posterior mean with the unbiased N − 1 denominator, computed
/// in two passes (mean, then squared deviations) so that large offsets do not cancel. An inactive unit's
/// posterior is the same for every input: the decoder cannot use it, which is posterior collapse in that
/// dimension.
public struct ActiveUnits: Sendable, Equatable, CustomStringConvertible {
    /// A_u for each latent dimension.
    public let variances: [Double]
    /// The activity threshold on A_u.
    public let threshold: Double
    /// N, the examples the variances are over.
    public let examples: Int

    /// Active units from the posterior means of N examples (N × D, N ≥ 2), e.g. the encoder's μ(x) over a
    /// validation set.
    public init<Scalar: TensorScalar>(posteriorMeans: Tensor<Scalar>, threshold: Double = 0.01) throws(EvaluationError) {
        let metric = "active units"
        let means = try FeatureMatrix(posteriorMeans, set: "posterior-mean", metric: metric)
        guard means.rows >= 2 else {
            throw EvaluationError(metric: metric, "\(means.rows) examples; a variance needs at least 2")
        }
        guard threshold.isFinite && threshold >= 0 else {
            throw EvaluationError(metric: metric, "the threshold must be a number ≥ 0, not \(threshold)")
        }
        let centred = means.subtracting(rowVector: means.columnMeans())
        var squares = [Double](repeating: 0, count: means.columns)
        for row in 0..<means.rows {
            for u in 0..<means.columns { squares[u] += centred.values[row * means.columns + u] * centred.values[row * means.columns + u] }
        }
        variances = squares.map { $0 / Double(means.rows - 1) }
        self.threshold = threshold
        examples = means.rows
    }

    /// Whether each dimension is active (A_u ≥ threshold).
    public var isActive: [Bool] { variances.map { $0 >= threshold } }
    /// How many dimensions are active.
    public var count: Int { variances.filter { $0 >= threshold }.count }
    /// How many latent dimensions there are.
    public var dimensions: Int { variances.count }

    /// `6 of 8 units active (posterior-mean variance ≥ 0.01 over 1000 examples)`.
    public var description: String {
        "\(count) of \(dimensions) units active (posterior-mean variance ≥ \(Format.number(threshold)) over \(examples) examples)"
    }
}
