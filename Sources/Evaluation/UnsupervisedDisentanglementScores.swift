import Foundation
import Tensors

/// The unsupervised scores of disentanglement_lib (`unsupervised_metrics.py`), from the codes alone, with
/// Σ the codes' covariance (N − 1 denominator, by BLAS):
///
/// - Gaussian total correlation: ½(Σ_j log Σ_jj − log det Σ), the KL divergence from the fitted Gaussian to
///   the product of its marginals (0 for independent codes; not defined when Σ is singular).
/// - Wasserstein dependency: 2·tr Σ − 2·tr (diag(Σ)·Σ)^{1/2}, the squared 2-Wasserstein distance between the
///   fitted Gaussian and the product of its marginals, and the same divided by tr Σ. tr (DΣ)^{1/2} is computed
///   as Σ √λ over the eigenvalues of the symmetric D^{1/2}ΣD^{1/2} (similar to DΣ), by LAPACK.
/// - mean pairwise mutual information: every code binned into 20 equal-width bins (as MIG bins them),
///   I(z_i; z_j) by scikit-learn's `mutual_info_score` (nats), averaged over the D(D − 1) ordered pairs i ≠ j.
public struct UnsupervisedDisentanglementScores: DisentanglementResult {
    public let gaussianTotalCorrelation: Double?
    public let wassersteinDependency: Double
    public let normalizedWassersteinDependency: Double?
    public let meanMutualInformation: Double?
    public let examples: Int
    public let dimensions: Int
    public var seed: UInt64?
    public var notes: [String] = []

    public init<Scalar: TensorScalar>(codes: Tensor<Scalar>, bins: Int = 20) throws(EvaluationError) {
        let metric = "unsupervised scores"
        let matrix = try FeatureMatrix(codes, set: "codes", metric: metric)
        guard matrix.rows >= 2, matrix.columns >= 1 else {
            throw EvaluationError(metric: metric, "\(matrix.rows) examples of \(matrix.columns) dimensions; a covariance needs at least 2 examples")
        }
        let d = matrix.columns
        let (_, covariance) = FrechetDistance.moments(matrix)
        let diagonal = (0..<d).map { covariance[$0 * d + $0] }
        let eigenvalues = try SymmetricEigendecomposition(covariance, n: d, vectors: false, metric: metric).values
        let largest = max(eigenvalues.last ?? 0, 0)
        if let smallest = eigenvalues.first, smallest > 1e-12 * largest, diagonal.allSatisfy({ $0 > 0 }) {
            gaussianTotalCorrelation = 0.5 * (diagonal.reduce(0) { $0 + Foundation.log($1) } - eigenvalues.reduce(0) { $0 + Foundation.log($1) })
        } else {
            gaussianTotalCorrelation = nil
            notes.append("Gaussian total correlation is not defined: the codes' covariance is singular (a constant code, or codes that are linear combinations of others)")
        }
        var scaled = covariance
        let roots = diagonal.map { max(0, $0).squareRoot() }
        for i in 0..<d { for j in 0..<d { scaled[i * d + j] *= roots[i] * roots[j] } }
        let scaledValues = try SymmetricEigendecomposition(scaled, n: d, vectors: false, metric: metric).values
        let trace = diagonal.reduce(0, +)
        wassersteinDependency = max(0, 2 * trace - 2 * scaledValues.reduce(0) { $0 + max(0, $1).squareRoot() })
        normalizedWassersteinDependency = trace > 0 ? wassersteinDependency / trace : nil
        if trace <= 0 { notes.append("the normalised Wasserstein dependency is not defined: every code is constant (tr Σ = 0)") }
        if d >= 2 {
            let single = Scalar.self == Float.self
            let binned = (0..<d).map { j in
                DiscreteCodes.histogramBins((0..<matrix.rows).map { matrix.values[$0 * d + j] }, bins: bins, singlePrecision: single)
            }
            var total = 0.0
            for i in 0..<d { for j in 0..<d where i != j { total += DiscreteCodes.mutualInformation(binned[i], binned[j]) } }
            meanMutualInformation = total / Double(d * d - d)
        } else {
            meanMutualInformation = nil
            notes.append("mean pairwise mutual information is not defined for one code dimension")
        }
        examples = matrix.rows
        dimensions = d
    }

    public var name: String { "unsupervised scores" }
    public var key: String { "unsupervised" }
    public var definition: String {
        "unsupervised scores (disentanglement_lib unsupervised_metrics.py): Gaussian total correlation ½(Σ log Σ_jj − log det Σ), Wasserstein dependency 2 tr Σ − 2 tr (diag Σ · Σ)^½ (also ÷ tr Σ), mean pairwise mutual information of 20-bin codes (nats)"
    }
    public var figures: [(key: String, label: String, value: Double?)] {
        [("gaussian_total_correlation", "Gaussian total correlation", gaussianTotalCorrelation),
         ("wasserstein_dependency", "Wasserstein dependency", wassersteinDependency),
         ("normalized_wasserstein_dependency", "Wasserstein dependency ÷ tr Σ", normalizedWassersteinDependency),
         ("mean_mutual_information", "mean pairwise mutual information", meanMutualInformation)]
    }
    public var sampleSizes: [(key: String, count: Int)] { [("examples", examples)] }
}
