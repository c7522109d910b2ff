import Tensors

/// The mutual information gap (Chen et al. 2018, "Isolating Sources of Disentanglement in VAEs"), as
/// disentanglement_lib computes it (`mig.py`): each code dimension is discretised into 20 equal-width bins
/// over its range (`np.digitize(z, np.histogram(z, 20)[1][:-1])`), and
///
///     MIG = (1/K) Σ_k [I(z_(1); v_k) − I(z_(2); v_k)] / H(v_k)
///
/// with I(z_j; v_k) scikit-learn's `mutual_info_score` (natural log) between the binned code j and factor k,
/// z_(1), z_(2) the codes with the largest and second-largest information about v_k, and H(v_k) = I(v_k; v_k).
/// Deterministic given the codes and factors (dlib uses 10,000 random examples). Between 0 and 1: 1 when each
/// factor is captured by one code alone (and the bins resolve it), about 0 when codes ignore the factors.
public struct MutualInformationGap: DisentanglementResult {
    public let score: Double
    /// The normalised gap of each factor.
    public let perFactor: [Double]
    /// I(z_j; v_k) in nats, [code j][factor k].
    public let mutualInformation: [[Double]]
    /// H(v_k) in nats.
    public let entropies: [Double]
    public let factorNames: [String]
    public let examples: Int
    public let bins: Int
    public var notes: [String] = []

    /// MIG of the N × D `codes` (D ≥ 2) against the N examples' `factors`, each with at least two values.
    /// Single-precision codes are binned with single-precision edges, as NumPy bins them.
    public init<Scalar: TensorScalar>(codes: Tensor<Scalar>, factors: GroundTruthFactors, bins: Int = 20) throws(EvaluationError) {
        let metric = "MIG"
        let matrix = try FeatureMatrix(codes, set: "codes", metric: metric)
        guard matrix.rows == factors.count else {
            throw EvaluationError(metric: metric, "\(matrix.rows) codes but \(factors.count) rows of factors")
        }
        guard matrix.columns >= 2 else { throw EvaluationError(metric: metric, "the gap needs at least 2 code dimensions, the codes have \(matrix.columns)") }
        guard matrix.rows >= 2 else { throw EvaluationError(metric: metric, "\(matrix.rows) examples; at least 2 are needed") }
        let single = Scalar.self == Float.self
        let binned = (0..<matrix.columns).map { j in
            DiscreteCodes.histogramBins((0..<matrix.rows).map { matrix.values[$0 * matrix.columns + j] }, bins: bins, singlePrecision: single)
        }
        let columns = (0..<factors.factorCount).map { factors.column($0) }
        let entropies = columns.map { DiscreteCodes.entropy($0) }
        if let constant = entropies.firstIndex(where: { $0 == 0 }) {
            throw EvaluationError(metric: metric, "factor \(factors.names[constant]) has one value in these \(matrix.rows) examples (entropy 0): the gap divides by it")
        }
        let information = binned.map { code in columns.map { DiscreteCodes.mutualInformation(code, $0) } }
        perFactor = (0..<factors.factorCount).map { k in
            let sorted = information.map { $0[k] }.sorted(by: >)
            return (sorted[0] - sorted[1]) / entropies[k]
        }
        score = perFactor.reduce(0, +) / Double(perFactor.count)
        mutualInformation = information
        self.entropies = entropies
        factorNames = factors.names
        examples = matrix.rows
        self.bins = bins
    }

    public var name: String { "MIG" }
    public var key: String { "mig" }
    public var definition: String {
        "mutual information gap (Chen et al. 2018; disentanglement_lib mig.py): mean over factors of (largest − second-largest I(binned code; factor)) / H(factor), \(bins) equal-width bins per code, natural log"
    }
    public var figures: [(key: String, label: String, value: Double?)] {
        [("score", "MIG", score)] + zip(factorNames, perFactor).map { ("factor_\($0.0)", "  \($0.0)", Optional($0.1)) }
    }
    public var sampleSizes: [(key: String, count: Int)] { [("examples", examples)] }
    public var seed: UInt64? { nil }
}
