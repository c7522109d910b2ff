import Tensors

/// Euclidean distance matrices between the rows of two feature sets, through BLAS GEMM:
/// ‖x − y‖² = ‖x‖² + ‖y‖² − 2x·y on coordinates centred on the first set's mean, with close pairs (squared
/// distance below 10⁻³ of ‖x‖² + ‖y‖²) recomputed as Σ(x − y)² so that duplicates are exactly 0 apart.
///
/// These return the whole matrix, rows × rows of doubles: for thousands of points use the metrics
/// (`PrecisionRecallDensityCoverage`, `MaximumMeanDiscrepancy`…), which walk the same distances a bounded
/// block of rows at a time and never hold the matrix.
public enum PairwiseDistances {
    /// `result[i, j] = ‖x_i − y_j‖` (x.rows × y.rows), or its square when `squared`.
    public static func euclidean<Scalar: TensorScalar>(
        _ x: Tensor<Scalar>, _ y: Tensor<Scalar>, squared: Bool = false
    ) throws(EvaluationError) -> Tensor<Double> {
        let metric = "pairwise distances"
        let first = try FeatureMatrix(x, set: "first", metric: metric)
        let second = try FeatureMatrix(y, set: "second", metric: metric)
        try first.requireSameWidth(as: second, metric: metric, names: ("first", "second"))
        let centre = first.columnMeans()
        return matrix(first.subtracting(rowVector: centre), second.subtracting(rowVector: centre), squared: squared, sameSet: false)
    }

    /// `result[i, j] = ‖x_i − x_j‖` (x.rows × x.rows) with an exactly zero diagonal, or its square.
    public static func euclidean<Scalar: TensorScalar>(_ x: Tensor<Scalar>, squared: Bool = false) throws(EvaluationError) -> Tensor<Double> {
        let points = try FeatureMatrix(x, set: "first", metric: "pairwise distances")
        let centred = points.subtracting(rowVector: points.columnMeans())
        return matrix(centred, centred, squared: squared, sameSet: true)
    }

    private static func matrix(_ x: FeatureMatrix, _ y: FeatureMatrix, squared: Bool, sameSet: Bool) -> Tensor<Double> {
        var result = Tensor<Double>(rows: x.rows, columns: y.rows)
        result.withUnsafeMutableBufferPointer { out in
            PairwiseBlocks.forEachDistanceBlock(x, y, squared: squared, sameSet: sameSet) { start, count, block in
                for index in 0..<(count * y.rows) { out[start * y.rows + index] = block[index] }
            }
        }
        return result
    }
}
