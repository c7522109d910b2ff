import Tensors

/// Seed 001's closeness of generated examples to real ones ("l2_distance" and "cosine_similarity" between
/// generated and real embeddings), each in two named variants so a report says which it shows:
///
/// - nearest-neighbour: every generated y_j against its closest real example, averaged over the M generated:
///   `nearestNeighbourL2Distance` = (1/M)·Σ_j min_i ‖y_j − x_i‖ and
///   `nearestNeighbourCosineSimilarity` = (1/M)·Σ_j max_i cos(y_j, x_i) (each variant takes its own nearest:
///   the closest by distance, the most similar by angle);
/// - mean-embedding: between the two sets' means, `meanEmbeddingL2Distance` = ‖ȳ − x̄‖ and
///   `meanEmbeddingCosineSimilarity` = cos(ȳ, x̄).
///
/// cos(a, b) = a·b/(‖a‖‖b‖), and 0 when either vector is 0 (as scikit-learn's `cosine_similarity` and
/// PyTorch's `cosine_similarity` give). Lower distance and higher similarity mean closer to the real data;
/// neither says anything about diversity (a generator repeating one real example scores perfectly), so
/// read them with `SampleDiversity` and `PrecisionRecallDensityCoverage`. Seed 001 computes them class by
/// class: call once per class with that class's rows.
public struct GeneratedToRealSimilarity: Sendable, Equatable, CustomStringConvertible {
    public let nearestNeighbourL2Distance: Double
    public let nearestNeighbourCosineSimilarity: Double
    public let meanEmbeddingL2Distance: Double
    public let meanEmbeddingCosineSimilarity: Double
    public let realCount: Int
    public let generatedCount: Int
    public let dimensions: Int

    /// The four numbers for `generated` (M × D) against `real` (N × D), each with at least 1 row.
    public init<Scalar: TensorScalar>(real: Tensor<Scalar>, generated: Tensor<Scalar>) throws(EvaluationError) {
        let metric = "similarity to real"
        let x = try FeatureMatrix(real, set: "real", metric: metric)
        let y = try FeatureMatrix(generated, set: "generated", metric: metric)
        try x.requireSameWidth(as: y, metric: metric)
        for (name, rows) in [("real", x.rows), ("generated", y.rows)] where rows < 1 {
            throw EvaluationError(metric: metric, "the \(name) set is empty")
        }
        let centre = x.columnMeans()
        var distanceSum = 0.0
        PairwiseBlocks.forEachDistanceBlock(y.subtracting(rowVector: centre), x.subtracting(rowVector: centre), squared: false) { _, count, block in
            for r in 0..<count {
                var nearest = Double.infinity
                for i in 0..<x.rows { nearest = min(nearest, block[r * x.rows + i]) }
                distanceSum += nearest
            }
        }
        var similaritySum = 0.0
        PairwiseBlocks.forEachDotProductBlock(y.normalizedRows(), x.normalizedRows()) { _, count, block in
            for r in 0..<count {
                var most = -Double.infinity
                for i in 0..<x.rows { most = max(most, block[r * x.rows + i]) }
                similaritySum += most
            }
        }
        nearestNeighbourL2Distance = distanceSum / Double(y.rows)
        nearestNeighbourCosineSimilarity = similaritySum / Double(y.rows)
        let generatedMean = y.columnMeans()
        var squared = 0.0, dot = 0.0, generatedNorm = 0.0, realNorm = 0.0
        for c in 0..<x.columns {
            squared += (generatedMean[c] - centre[c]) * (generatedMean[c] - centre[c])
            dot += generatedMean[c] * centre[c]
            generatedNorm += generatedMean[c] * generatedMean[c]
            realNorm += centre[c] * centre[c]
        }
        meanEmbeddingL2Distance = squared.squareRoot()
        meanEmbeddingCosineSimilarity = generatedNorm > 0 && realNorm > 0 ? dot / (generatedNorm.squareRoot() * realNorm.squareRoot()) : 0
        realCount = x.rows
        generatedCount = y.rows
        dimensions = x.columns
    }

    /// `nearest-neighbour L2 1.23, cosine 0.91; mean-embedding L2 0.2, cosine 0.99 (1000 generated vs 1000 real, 64-D)`.
    public var description: String {
        "nearest-neighbour L2 \(Format.number(nearestNeighbourL2Distance)), cosine \(Format.number(nearestNeighbourCosineSimilarity)); "
            + "mean-embedding L2 \(Format.number(meanEmbeddingL2Distance)), cosine \(Format.number(meanEmbeddingCosineSimilarity)) "
            + "(\(generatedCount) generated vs \(realCount) real, \(dimensions)-D)"
    }
}
