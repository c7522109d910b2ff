import Tensors

/// Seed 001's diversity of a generated set ("std and pairwise distance"): the spread of the samples
/// themselves, with no reference to real data.
///
/// - `standardDeviations[d]` = √(Σ_j (y_jd − ȳ_d)²/(M − 1)): each dimension's unbiased standard deviation
///   (PyTorch's `std()` default, which seed 001's tensors use); `meanStandardDeviation` is their mean.
/// - `meanPairwiseDistance` = 2/(M(M − 1))·Σ_{i<j} ‖y_i − y_j‖: the mean Euclidean distance over distinct
///   pairs (SciPy's `pdist(...).mean()`), by BLAS GEMM a block of rows at a time.
///
/// A collapsed generator (every sample alike) gives 0 for both. Compare with the same numbers on real data:
/// a generator should be about as spread out as the data, not more (noise) and not less (mode collapse).
public struct SampleDiversity: Sendable, Equatable, CustomStringConvertible {
    /// Per-dimension standard deviation (N − 1 denominator).
    public let standardDeviations: [Double]
    /// The mean of `standardDeviations`.
    public let meanStandardDeviation: Double
    /// Mean Euclidean distance over the M(M − 1)/2 distinct pairs.
    public let meanPairwiseDistance: Double
    /// M, the number of samples.
    public let count: Int

    /// The diversity of `samples` (M × D, at least 2 rows).
    public init<Scalar: TensorScalar>(samples: Tensor<Scalar>) throws(EvaluationError) {
        let metric = "diversity"
        let points = try FeatureMatrix(samples, set: "generated", metric: metric)
        guard points.rows >= 2 else {
            throw EvaluationError(metric: metric, "the set has \(points.rows) rows; a spread needs at least 2")
        }
        let centred = points.subtracting(rowVector: points.columnMeans())
        var squares = [Double](repeating: 0, count: points.columns)
        for row in 0..<points.rows {
            for c in 0..<points.columns { squares[c] += centred.values[row * points.columns + c] * centred.values[row * points.columns + c] }
        }
        standardDeviations = squares.map { ($0 / Double(points.rows - 1)).squareRoot() }
        meanStandardDeviation = standardDeviations.isEmpty ? 0 : standardDeviations.reduce(0, +) / Double(standardDeviations.count)
        var total = 0.0
        let m = points.rows
        PairwiseBlocks.forEachDistanceBlock(centred, centred, squared: false, sameSet: true) { start, count, block in
            for r in 0..<count {
                var sum = 0.0
                for j in (start + r + 1)..<m { sum += block[r * m + j] }
                total += sum
            }
        }
        meanPairwiseDistance = total / (Double(m) * Double(m - 1) / 2)
        count = m
    }

    /// `mean standard deviation 0.81, mean pairwise distance 3.9 (1000 samples, 64-D)`.
    public var description: String {
        "mean standard deviation \(Format.number(meanStandardDeviation)), mean pairwise distance \(Format.number(meanPairwiseDistance)) "
            + "(\(count) samples, \(standardDeviations.count)-D)"
    }
}
