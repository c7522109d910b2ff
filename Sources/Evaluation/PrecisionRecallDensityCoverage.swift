import Tensors

/// Precision, recall, density and coverage of a generated set against a real set (Naeem et al. 2020,
/// "Reliable Fidelity and Diversity Metrics for Generative Models"; the reference implementation is
/// clovaai/generative-evaluation-prdc `prdc/prdc.py`, whose numbers these reproduce).
///
/// With real points X₁…X_N, generated points Y₁…Y_M and r(X_i) = the distance from X_i to its k-th nearest
/// other real point (Euclidean), the ball B(X_i) = {y : ‖y − X_i‖ < r(X_i)}, strictly less, as the
/// reference compares:
/// - precision = (1/M)·Σ_j 1[Y_j lies in some real ball]: how much of the generated set looks real (quality);
/// - recall = (1/N)·Σ_i 1[X_i lies in some generated ball B(Y_j), radius r(Y_j) among the generated points]:
///   how much of the real set the generator can produce (diversity);
/// - density = (1/(kM))·Σ_j Σ_i 1[Y_j ∈ B(X_i)]: how many real balls hold each generated point, 1 on average
///   when the two sets come from one distribution, above 1 when samples crowd where real data is dense;
/// - coverage = (1/N)·Σ_i 1[the nearest generated point to X_i lies in B(X_i)]: the share of real points
///   with a generated point close by (coverage of the real modes, robust to outliers in the generated set).
///
/// k = 5 by default (the reference's README; Kynkäänniemi et al.'s improved precision and recall use k = 3).
/// Identical sets without ties give 1, 1, 1, 1. Evaluation.md's hand example, 1-D with k = 1: real
/// {0, 1, 2, 3, 4} and generated {0.5, 10} give precision 0.5, recall 1, density 1, coverage 0.4.
///
/// **Duplicated points.** A point with k or more exact duplicates in its own set has radius 0, and with the
/// strict "<" its ball is empty: nothing is ever inside it, not even a generated point at the very same
/// spot. That is the reference's behaviour, kept so the numbers stay comparable with published ones; the
/// result counts such points (`zeroRadiusRealCount`, `zeroRadiusGeneratedCount`) so a report can warn, and
/// deduplicating the sets before the call is the remedy when they are many. Distances are exact for
/// duplicates (0), so the count does not depend on rounding.
///
/// Cost: three N × M-type distance passes through BLAS GEMM, walked a block of rows at a time (bounded
/// memory), plus one k-th-smallest selection per row.
public struct PrecisionRecallDensityCoverage: Sendable, Equatable, CustomStringConvertible {
    public let precision: Double
    public let recall: Double
    public let density: Double
    public let coverage: Double
    /// The neighbour rank defining each ball's radius.
    public let k: Int
    public let realCount: Int
    public let generatedCount: Int
    public let dimensions: Int
    /// Real points whose radius is 0 (k or more duplicates): their balls are empty.
    public let zeroRadiusRealCount: Int
    /// Generated points whose radius is 0: their balls are empty.
    public let zeroRadiusGeneratedCount: Int

    /// The four metrics of `generated` (M × D) against `real` (N × D); both sets need more than k rows (the
    /// reference package needs k + 2: its `argpartition` fails on k + 1, so evaluation.md's hand example with
    /// two generated points and k = 1 runs here but not there).
    public init<Scalar: TensorScalar>(real: Tensor<Scalar>, generated: Tensor<Scalar>, k: Int = 5) throws(EvaluationError) {
        let metric = "PRDC"
        guard k >= 1 else { throw EvaluationError(metric: metric, "k must be at least 1, not \(k)") }
        let realPoints = try FeatureMatrix(real, set: "real", metric: metric)
        let generatedPoints = try FeatureMatrix(generated, set: "generated", metric: metric)
        try realPoints.requireSameWidth(as: generatedPoints, metric: metric)
        for (name, rows) in [("real", realPoints.rows), ("generated", generatedPoints.rows)] where rows <= k {
            throw EvaluationError(metric: metric, "the \(name) set has \(rows) rows; k = \(k) needs at least \(k + 1) (each point's k-th nearest other point)")
        }
        // One centre for both sets: when they are equal, every distance matrix below is computed identically.
        let centre = realPoints.columnMeans()
        let x = realPoints.subtracting(rowVector: centre)
        let y = generatedPoints.subtracting(rowVector: centre)

        let realRadii = Self.radii(x, k: k)
        let generatedRadii = Self.radii(y, k: k)

        var insideRealBalls = [Int](repeating: 0, count: y.rows)  // per generated point: real balls holding it
        var recalled = 0
        var covered = 0
        insideRealBalls.withUnsafeMutableBufferPointer { inside in
            generatedRadii.withUnsafeBufferPointer { generatedRadius in
                PairwiseBlocks.forEachDistanceBlock(x, y, squared: false) { start, count, block in
                    for r in 0..<count {
                        let radius = realRadii[start + r]
                        let row = block.baseAddress! + r * y.rows
                        var nearest = Double.infinity
                        var inGeneratedBall = false
                        for j in 0..<y.rows {
                            let distance = row[j]
                            nearest = min(nearest, distance)
                            if distance < generatedRadius[j] { inGeneratedBall = true }
                            if distance < radius { inside[j] += 1 }
                        }
                        if inGeneratedBall { recalled += 1 }
                        if nearest < radius { covered += 1 }
                    }
                }
            }
        }
        let m = Double(y.rows), n = Double(x.rows)
        precision = Double(insideRealBalls.filter { $0 > 0 }.count) / m
        density = Double(insideRealBalls.reduce(0, +)) / (Double(k) * m)
        recall = Double(recalled) / n
        coverage = Double(covered) / n
        self.k = k
        realCount = x.rows
        generatedCount = y.rows
        dimensions = x.columns
        zeroRadiusRealCount = realRadii.filter { $0 == 0 }.count
        zeroRadiusGeneratedCount = generatedRadii.filter { $0 == 0 }.count
    }

    /// Each point's distance to its k-th nearest other point of the same set: the (k + 1)-th smallest of its
    /// row of distances, which includes its own 0 (the reference's `get_kth_value(distances, k + 1)`).
    static func radii(_ points: FeatureMatrix, k: Int) -> [Double] {
        var radii = [Double](repeating: 0, count: points.rows)
        var selector = RankSelector(rank: k + 1)
        PairwiseBlocks.forEachDistanceBlock(points, points, squared: false, sameSet: true) { start, count, block in
            for r in 0..<count {
                radii[start + r] = selector.select(UnsafeBufferPointer(rebasing: block[(r * points.rows)..<((r + 1) * points.rows)]))
            }
        }
        return radii
    }

    /// `precision 0.912, recall 0.874, density 1.03, coverage 0.95 (k = 5; 10000 real, 10000 generated, 64-D)`.
    public var description: String {
        var text = "precision \(Format.number(precision)), recall \(Format.number(recall)), density \(Format.number(density)), "
            + "coverage \(Format.number(coverage)) (k = \(k); \(realCount) real, \(generatedCount) generated, \(dimensions)-D)"
        if zeroRadiusRealCount > 0 || zeroRadiusGeneratedCount > 0 {
            text += "; \(zeroRadiusRealCount) real and \(zeroRadiusGeneratedCount) generated points have duplicates enough for an empty ball"
        }
        return text
    }
}
