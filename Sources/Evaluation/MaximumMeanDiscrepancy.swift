import Foundation
import Tensors

/// The squared maximum mean discrepancy between a real and a generated set under the Gaussian (RBF) kernel
/// k(x, y) = exp(−‖x − y‖²/(2s²)) (Gretton et al. 2012, "A Kernel Two-Sample Test"), both estimators:
///
///     unbiased MMD²_u = 1/(N(N−1))·Σ_{i≠j} k(x_i, x_j) + 1/(M(M−1))·Σ_{i≠j} k(y_i, y_j) − 2/(NM)·Σ_{i,j} k(x_i, y_j)
///     biased   MMD²_b = 1/N²·Σ_{i,j} k(x_i, x_j) + 1/M²·Σ_{i,j} k(y_i, y_j) − 2/(NM)·Σ_{i,j} k(x_i, y_j)
///
/// 0 means the kernel mean embeddings agree. The unbiased estimate can be negative (its expectation is 0 when
/// the sets share a distribution); the biased one is ≥ 0. Evaluation.md's values (s = 1): x = {0, 1},
/// y = {0, 2} give −0.4323323584 and 0.1967346701; x = y = {0, 1} give −0.3934693403 and 0.
///
/// Bandwidth s: `.fixed(s)`, or by default `.medianHeuristic`: s = the median of the Euclidean distances
/// ‖z_i − z_j‖, i < j, over the pooled set Z = real ∪ generated (real rows first), the median of an even count
/// being the mean of the two middle values (NumPy's). Above `medianHeuristicPoints` pooled points, the median
/// is taken over that many rows at evenly spaced indices ⌊i·|Z|/2000⌋, so it costs a bounded ~2 million
/// distances; `bandwidthPoints` says how many were used. The result always reports the s it used.
///
/// Cost: three distance passes through BLAS GEMM a block of rows at a time, and one exp per pair.
public struct MaximumMeanDiscrepancy: Sendable, Equatable, CustomStringConvertible {
    /// How the kernel bandwidth s is chosen.
    public enum Bandwidth: Sendable, Equatable {
        /// s as given (s > 0).
        case fixed(Double)
        /// s = the median pairwise distance over the pooled sets.
        case medianHeuristic
    }

    /// Most pooled points the median heuristic looks at.
    public static let medianHeuristicPoints = 2000

    /// The unbiased estimate MMD²_u.
    public let unbiased: Double
    /// The biased estimate MMD²_b (≥ 0).
    public let biased: Double
    /// The bandwidth s used.
    public let bandwidth: Double
    /// How s was chosen.
    public let bandwidthChoice: Bandwidth
    /// Pooled points the median heuristic used (nil for a fixed bandwidth).
    public let bandwidthPoints: Int?
    public let realCount: Int
    public let generatedCount: Int
    public let dimensions: Int

    /// MMD² of `generated` (M × D) against `real` (N × D), each with at least 2 rows.
    public init<Scalar: TensorScalar>(real: Tensor<Scalar>, generated: Tensor<Scalar>,
                                      bandwidth: Bandwidth = .medianHeuristic) throws(EvaluationError) {
        let metric = "MMD²"
        let realPoints = try FeatureMatrix(real, set: "real", metric: metric)
        let generatedPoints = try FeatureMatrix(generated, set: "generated", metric: metric)
        try realPoints.requireSameWidth(as: generatedPoints, metric: metric)
        for (name, rows) in [("real", realPoints.rows), ("generated", generatedPoints.rows)] where rows < 2 {
            throw EvaluationError(metric: metric, "the \(name) set has \(rows) rows; the unbiased estimate needs at least 2")
        }
        let centre = realPoints.columnMeans()
        let x = realPoints.subtracting(rowVector: centre)
        let y = generatedPoints.subtracting(rowVector: centre)

        switch bandwidth {
        case .fixed(let s):
            guard s > 0 && s.isFinite else {
                throw EvaluationError(metric: metric, "the bandwidth must be a positive number, not \(s)")
            }
            self.bandwidth = s
            bandwidthPoints = nil
        case .medianHeuristic:
            let (median, points) = Self.medianPairwiseDistance(x, y)
            guard median > 0 else {
                throw EvaluationError(metric: metric, "the median pairwise distance over the \(points) pooled points is 0 (most points coincide); give a fixed bandwidth")
            }
            self.bandwidth = median
            bandwidthPoints = points
        }
        bandwidthChoice = bandwidth
        let gamma = 1 / (2 * self.bandwidth * self.bandwidth)

        let n = Double(x.rows), m = Double(y.rows)
        let realOffDiagonal = Self.kernelSum(x, x, gamma: gamma, sameSet: true)
        let generatedOffDiagonal = Self.kernelSum(y, y, gamma: gamma, sameSet: true)
        let cross = Self.kernelSum(x, y, gamma: gamma, sameSet: false)
        unbiased = realOffDiagonal / (n * (n - 1)) + generatedOffDiagonal / (m * (m - 1)) - 2 * cross / (n * m)
        // The diagonal adds k(x, x) = 1 per point.
        biased = (realOffDiagonal + n) / (n * n) + (generatedOffDiagonal + m) / (m * m) - 2 * cross / (n * m)
        realCount = x.rows
        generatedCount = y.rows
        dimensions = x.columns
    }

    /// Σ exp(−γ‖x_i − y_j‖²) over all pairs, leaving out i = j when `sameSet`; summed per row, then over rows.
    static func kernelSum(_ x: FeatureMatrix, _ y: FeatureMatrix, gamma: Double, sameSet: Bool) -> Double {
        var total = 0.0
        PairwiseBlocks.forEachDistanceBlock(x, y, squared: true, sameSet: sameSet) { start, count, block in
            for r in 0..<count {
                let row = block.baseAddress! + r * y.rows
                var sum = 0.0
                for j in 0..<y.rows { sum += exp(-gamma * row[j]) }
                if sameSet { sum -= 1 }  // the diagonal's exp(0) = 1, exactly
                total += sum
            }
        }
        return total
    }

    /// The median of ‖z_i − z_j‖ over i < j for the pooled rows (or `medianHeuristicPoints` evenly spaced
    /// ones), and how many rows that was.
    static func medianPairwiseDistance(_ x: FeatureMatrix, _ y: FeatureMatrix) -> (median: Double, points: Int) {
        let total = x.rows + y.rows
        let count = min(total, medianHeuristicPoints)
        var pooled = [Double]()
        pooled.reserveCapacity(count * x.columns)
        for index in 0..<count {
            let row = count == total ? index : index * total / count
            let (source, local) = row < x.rows ? (x, row) : (y, row - x.rows)
            pooled.append(contentsOf: source.values[(local * x.columns)..<((local + 1) * x.columns)])
        }
        let points = FeatureMatrix(rows: count, columns: x.columns, values: pooled)
        var distances = [Double]()
        distances.reserveCapacity(count * (count - 1) / 2)
        PairwiseBlocks.forEachDistanceBlock(points, points, squared: false, sameSet: true) { start, rows, block in
            for r in 0..<rows {
                let i = start + r
                for j in (i + 1)..<count { distances.append(block[r * count + j]) }
            }
        }
        distances.sort()
        let middle = distances.count / 2
        let median = distances.count % 2 == 1 ? distances[middle] : (distances[middle - 1] + distances[middle]) / 2
        return (median, count)
    }

    /// `MMD² 0.0123 unbiased, 0.0145 biased (RBF, bandwidth 3.2 by the median heuristic over 2000 points; 10000 real, 10000 generated)`.
    public var description: String {
        let choice: String
        if let points = bandwidthPoints {
            choice = "by the median heuristic over \(points) points"
        } else {
            choice = "fixed"
        }
        return "MMD² \(Format.number(unbiased)) unbiased, \(Format.number(biased)) biased (RBF, bandwidth \(Format.number(bandwidth)) \(choice); "
            + "\(realCount) real, \(generatedCount) generated)"
    }
}
