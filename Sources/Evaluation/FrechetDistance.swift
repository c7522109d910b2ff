import Tensors

/// The Fréchet (2-Wasserstein) distance between two Gaussians, fitted to a real and a generated set as FID
/// does (Heusel et al. 2017) with the unbiased (N − 1) covariance:
///
///     d² = ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^{1/2})
///
/// `distance` is this d² (FID's convention: the squared distance, in squared feature units). Evaluation.md's
/// values: N(0, 1) vs N(1, 4) → 1 + 1 + 4 − 2·2 = 2; diagonal μ (0, 0) vs (1, 2), sd (1, 2) vs (3, 1) →
/// 5 + (1 + 9 − 2·3) + (4 + 1 − 2·2) = 10; the same Gaussian → 0.
///
/// Computed stably with symmetric eigendecompositions (LAPACK `dsyevd`) and BLAS products, never a
/// general matrix square root: S = Σ₁^{1/2} = V·diag(√λ)·Vᵀ from Σ₁ = V·diag(λ)·Vᵀ, then
/// Tr((Σ₁Σ₂)^{1/2}) = Tr((SΣ₂S)^{1/2}) = Σ √μ_i over the eigenvalues μ_i of the symmetric positive
/// semi-definite S·Σ₂·S (Σ₁Σ₂ and SΣ₂S are similar when Σ₁ is invertible, and the identity holds by
/// continuity when it is not). Singular covariances (fewer samples than dimensions) need no ε·I offset, and
/// there is no complex part to discard. Eigenvalues of rounding size below 0 count as 0; the covariance term,
/// a squared Bures distance, is ≥ 0 and is clamped there against rounding.
public struct FrechetDistance: Sendable, Equatable, CustomStringConvertible {
    /// d² = `meanTerm` + `covarianceTerm`.
    public let distance: Double
    /// ‖μ₁ − μ₂‖².
    public let meanTerm: Double
    /// Tr(Σ₁) + Tr(Σ₂) − 2·Tr((Σ₁Σ₂)^{1/2}).
    public let covarianceTerm: Double
    public let dimensions: Int
    /// Rows of the real set (nil when the Gaussians were given as statistics).
    public let realCount: Int?
    /// Rows of the generated set (nil when the Gaussians were given as statistics).
    public let generatedCount: Int?

    /// The distance between Gaussians fitted to `real` and `generated` (each with at least 2 rows):
    /// sample means and covariances Σ = XcᵀXc/(N − 1), Xc the centred rows, by BLAS GEMM.
    public init<Scalar: TensorScalar>(real: Tensor<Scalar>, generated: Tensor<Scalar>) throws(EvaluationError) {
        let metric = "Fréchet distance"
        let realPoints = try FeatureMatrix(real, set: "real", metric: metric)
        let generatedPoints = try FeatureMatrix(generated, set: "generated", metric: metric)
        try realPoints.requireSameWidth(as: generatedPoints, metric: metric)
        for (name, rows) in [("real", realPoints.rows), ("generated", generatedPoints.rows)] where rows < 2 {
            throw EvaluationError(metric: metric, "the \(name) set has \(rows) rows; a covariance needs at least 2")
        }
        let (firstMean, firstCovariance) = Self.moments(realPoints)
        let (secondMean, secondCovariance) = Self.moments(generatedPoints)
        try self.init(firstMean: firstMean, firstCovariance: firstCovariance, secondMean: secondMean,
                      secondCovariance: secondCovariance, dimensions: realPoints.columns,
                      counts: (realPoints.rows, generatedPoints.rows), metric: metric)
    }

    /// The distance between N(`firstMean`, `firstCovariance`) and N(`secondMean`, `secondCovariance`):
    /// means of D values, covariances D × D, symmetric (to 10⁻¹² of their largest entry) and positive
    /// semi-definite (to rounding).
    public init(firstMean: [Double], firstCovariance: Tensor<Double>, secondMean: [Double], secondCovariance: Tensor<Double>) throws(EvaluationError) {
        let metric = "Fréchet distance"
        let d = firstMean.count
        for (name, mean, covariance) in [("first", firstMean, firstCovariance), ("second", secondMean, secondCovariance)] {
            guard mean.count == d, covariance.rows == d, covariance.columns == d else {
                throw EvaluationError(metric: metric, "the \(name) Gaussian has a mean of \(mean.count) values and a \(covariance.rows) × \(covariance.columns) covariance; both must be of dimension \(d)")
            }
            guard mean.allSatisfy(\.isFinite), covariance.scalars.allSatisfy(\.isFinite) else {
                throw EvaluationError(metric: metric, "the \(name) Gaussian has a non-finite mean or covariance entry")
            }
            let largest = covariance.scalars.map(abs).max() ?? 0
            for i in 0..<d {
                for j in 0..<i where abs(covariance[i, j] - covariance[j, i]) > 1e-12 * largest {
                    throw EvaluationError(metric: metric, "the \(name) covariance is not symmetric: [\(i), \(j)] = \(covariance[i, j]) but [\(j), \(i)] = \(covariance[j, i])")
                }
            }
        }
        try self.init(firstMean: firstMean, firstCovariance: Self.symmetrized(firstCovariance.scalars, d), secondMean: secondMean,
                      secondCovariance: Self.symmetrized(secondCovariance.scalars, d), dimensions: d, counts: nil, metric: metric)
    }

    private init(firstMean: [Double], firstCovariance: [Double], secondMean: [Double], secondCovariance: [Double],
                 dimensions d: Int, counts: (real: Int, generated: Int)?, metric: String) throws(EvaluationError) {
        var meanTerm = 0.0
        for i in 0..<d { meanTerm += (firstMean[i] - secondMean[i]) * (firstMean[i] - secondMean[i]) }
        var traces = 0.0
        for i in 0..<d { traces += firstCovariance[i * d + i] + secondCovariance[i * d + i] }
        let crossTrace = try Self.traceOfSquareRootOfProduct(firstCovariance, secondCovariance, d: d, metric: metric)
        self.meanTerm = meanTerm
        covarianceTerm = max(0, traces - 2 * crossTrace)
        distance = meanTerm + covarianceTerm
        dimensions = d
        realCount = counts?.real
        generatedCount = counts?.generated
    }

    /// Tr((Σ₁Σ₂)^{1/2}) = Σ √eigenvalues(Σ₁^{1/2}·Σ₂·Σ₁^{1/2}), for symmetric row-major d × d inputs.
    static func traceOfSquareRootOfProduct(_ first: [Double], _ second: [Double], d: Int, metric: String) throws(EvaluationError) -> Double {
        guard d > 0 else { return 0 }
        let firstEigen = try SymmetricEigendecomposition(first, n: d, vectors: true, metric: metric)
        try requirePositiveSemidefinite(firstEigen.values, name: "first", metric: metric)
        let secondValues = try SymmetricEigendecomposition(second, n: d, vectors: false, metric: metric).values
        try requirePositiveSemidefinite(secondValues, name: "second", metric: metric)
        // W = diag(λ^¼)·E with E's rows the eigenvectors (E = Vᵀ), so S = Wᵀ·W = V·diag(λ^½)·Vᵀ = Σ₁^½.
        var w = firstEigen.vectors
        for j in 0..<d {
            let root = max(0, firstEigen.values[j]).squareRoot().squareRoot()
            for c in 0..<d { w[j * d + c] *= root }
        }
        var root = [Double](repeating: 0, count: d * d)
        var product = [Double](repeating: 0, count: d * d)
        var sandwich = [Double](repeating: 0, count: d * d)
        Double.gemm(transposeA: true, transposeB: false, m: d, n: d, k: d, alpha: 1, a: w, lda: d, b: w, ldb: d, beta: 0, c: &root, ldc: d)
        Double.gemm(transposeA: false, transposeB: false, m: d, n: d, k: d, alpha: 1, a: root, lda: d, b: second, ldb: d, beta: 0, c: &product, ldc: d)
        Double.gemm(transposeA: false, transposeB: false, m: d, n: d, k: d, alpha: 1, a: product, lda: d, b: root, ldb: d, beta: 0, c: &sandwich, ldc: d)
        let values = try SymmetricEigendecomposition(symmetrized(sandwich, d), n: d, vectors: false, metric: metric).values
        return values.reduce(0) { $0 + max(0, $1).squareRoot() }
    }

    /// A negative eigenvalue beyond rounding (below −10⁻⁸ of the largest magnitude) is an error.
    private static func requirePositiveSemidefinite(_ values: [Double], name: String, metric: String) throws(EvaluationError) {
        let largest = values.map(abs).max() ?? 0
        if let smallest = values.first, smallest < -1e-8 * largest {
            throw EvaluationError(metric: metric, "the \(name) covariance is not positive semi-definite (eigenvalue \(smallest))")
        }
    }

    /// (A + Aᵀ)/2.
    static func symmetrized(_ matrix: [Double], _ d: Int) -> [Double] {
        var result = matrix
        for i in 0..<d {
            for j in 0..<i {
                let mean = (matrix[i * d + j] + matrix[j * d + i]) / 2
                result[i * d + j] = mean
                result[j * d + i] = mean
            }
        }
        return result
    }

    /// The column means and the unbiased covariance XcᵀXc/(N − 1) (symmetrised) of `points`.
    static func moments(_ points: FeatureMatrix) -> (mean: [Double], covariance: [Double]) {
        let d = points.columns
        let mean = points.columnMeans()
        let centred = points.subtracting(rowVector: mean)
        var covariance = [Double](repeating: 0, count: d * d)
        if d > 0 {
            Double.gemm(transposeA: true, transposeB: false, m: d, n: d, k: points.rows, alpha: 1 / Double(points.rows - 1),
                        a: centred.values, lda: d, b: centred.values, ldb: d, beta: 0, c: &covariance, ldc: d)
        }
        return (mean, symmetrized(covariance, d))
    }

    /// `Fréchet distance 12.3 (mean term 4.1, covariance term 8.2; 64-D, 10000 real, 10000 generated)`.
    public var description: String {
        var text = "Fréchet distance \(Format.number(distance)) (mean term \(Format.number(meanTerm)), covariance term \(Format.number(covarianceTerm)); \(dimensions)-D"
        if let realCount, let generatedCount { text += ", \(realCount) real, \(generatedCount) generated" }
        return text + ")"
    }
}
