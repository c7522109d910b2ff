import Foundation
import Tensors

/// The mutual information I(x; z) between inputs and latent codes under the aggregate posterior, by He et
/// al.'s estimator (2019, "Lagging Inference Networks and Posterior Collapse in VAEs"; jxhe/vae-lagging-
/// encoder `calc_mi`), for a diagonal Gaussian posterior q(z|x) = N(μ(x), diag(σ²(x))) in d dimensions.
///
/// The rows are taken in consecutive batches of B (the last may be smaller). In a batch of b inputs, with
/// one sample z_i ~ q(z|x_i) per input (given by the caller):
///
///     neg-entropy = (1/b)·Σ_i [−(d/2)·log 2π − ½·Σ_u (1 + log σ²_iu)]        (= E_q[log q(z|x)], exactly)
///     log q(z_i)  = logsumexp_j log N(z_i; μ_j, σ²_j) − log b                  (the batch's mixture of posteriors)
///     MI_batch    = neg-entropy − (1/b)·Σ_i log q(z_i)
///
/// and the result is the batch-size-weighted mean Σ b·MI_batch / N. Each log N(z_i; μ_j, σ²_j) is summed
/// from (z_iu − μ_ju)²/σ²_ju directly rather than by GEMM expansion, which would cancel badly for the narrow
/// posteriors of a healthy encoder; the cost is O(N·B·d).
///
/// The estimate is at most about log B: when the posteriors are far apart, log q(z_i) ≈ log q(z_i|x_i) −
/// log B. So it depends on B and must be reported with it (`saturationBound` = log B). About 0 when all
/// posteriors are identical (the encoder ignores its input: collapse). One sample per input makes it noisy.
public struct MutualInformation: Sendable, Equatable, CustomStringConvertible {
    /// The estimate, in nats.
    public let nats: Double
    /// B, the batch size the estimate used.
    public let batchSize: Int
    /// N, the examples.
    public let examples: Int
    /// The number of batches (the last holds N − (batches − 1)·B examples).
    public var batches: Int { (examples + batchSize - 1) / batchSize }
    /// log B: the estimator's ceiling, however informative the code.
    public var saturationBound: Double { Foundation.log(Double(batchSize)) }

    /// The estimate for people, honest about its bounds: within [0, log B] as it is; above log B (its one-sample
    /// noise) as "≥ log B", since the estimator cannot resolve more; below 0 as "≈ 0". Files keep `nats` as
    /// estimated. `2.1 nats (at most log 256 = 5.55 with this estimator)`, `≥ 5.55 nats (estimated 5.61; …)`.
    public var reading: String {
        let bound = "log \(batchSize) = \(Format.number(saturationBound))"
        if nats > saturationBound {
            return "≥ \(Format.number(saturationBound)) nats (estimated \(Format.number(nats)), above \(bound), the most this estimator resolves: read it as at least that)"
        }
        if nats < 0 {
            return "≈ 0 nats (estimated \(Format.number(nats)): the estimate's noise reaches below 0 when the code carries almost nothing)"
        }
        if !nats.isFinite { return "\(nats)" }
        return "\(Format.number(nats)) nats (at most \(bound) with this estimator)"
    }

    /// The estimate for a progress line: `2.10`, `≥5.55`, `≈0`.
    public static func brief(_ nats: Double, batchSize: Int?) -> String {
        if nats.isNaN { return "nan" }
        if let batchSize, batchSize > 1, nats > Foundation.log(Double(batchSize)) { return String(format: "≥%.2f", Foundation.log(Double(batchSize))) }
        if nats < 0 { return "≈0" }
        return String(format: "%.2f", nats)
    }

    /// A posterior's log-density log q(z | x) at code `z` for the posterior with location `mean` and
    /// log-variance `logVariance` (one row each), for posteriors that are not diagonal Gaussians (the wrapped
    /// normal on the Poincaré ball).
    public typealias LogDensity = @Sendable (_ z: ArraySlice<Double>, _ mean: ArraySlice<Double>, _ logVariance: ArraySlice<Double>) -> Double

    /// The estimate from N rows of posterior means μ, log-variances log σ² and one sample z per row (each
    /// N × d), in batches of `batchSize` (He et al. evaluate with their test batch size; 256 here by default).
    ///
    /// With `logDensity` (a posterior that is not a diagonal Gaussian), every log q(z_i | x_j) is
    /// `logDensity(z_i, μ_j, log σ²_j)`, and the negative entropy, which has no closed form, is its one-sample
    /// estimate (1/b)·Σ_i log q(z_i | x_i) — the same sample as the aggregate term, as in pvae's estimator.
    public init<Scalar: TensorScalar>(means: Tensor<Scalar>, logVariances: Tensor<Scalar>, samples: Tensor<Scalar>,
                                      batchSize: Int = 256, logDensity: LogDensity? = nil) throws(EvaluationError) {
        let metric = "mutual information"
        let mu = try FeatureMatrix(means, set: "means", metric: metric)
        let logVariance = try FeatureMatrix(logVariances, set: "log-variances", metric: metric)
        let z = try FeatureMatrix(samples, set: "samples", metric: metric)
        for (name, other) in [("log-variances", logVariance), ("samples", z)] where other.rows != mu.rows || other.columns != mu.columns {
            throw EvaluationError(metric: metric, "the means are \(mu.rows) × \(mu.columns) but the \(name) are \(other.rows) × \(other.columns)")
        }
        guard mu.rows >= 1 else { throw EvaluationError(metric: metric, "no examples") }
        guard batchSize >= 1 else { throw EvaluationError(metric: metric, "the batch size must be at least 1, not \(batchSize)") }
        let d = mu.columns
        let logTwoPi = Foundation.log(2 * Double.pi)
        let inverseVariance = logVariance.values.map { Foundation.exp(-$0) }
        // log N(z; μ_j, σ²_j) = −½·Σ_u (z_u − μ_ju)²/σ²_ju − ½·(d·log 2π + Σ_u log σ²_ju): the second part per row j.
        let normalizer = (0..<mu.rows).map { j in
            -0.5 * (Double(d) * logTwoPi + logVariance.values[(j * d)..<((j + 1) * d)].reduce(0, +))
        }
        var weightedSum = 0.0
        var logDensities = [Double]()
        var start = 0
        while start < mu.rows {
            let b = min(batchSize, mu.rows - start)
            var negativeEntropy = 0.0
            for i in start..<(start + b) {
                if let logDensity {
                    negativeEntropy += logDensity(z.values[(i * d)..<((i + 1) * d)], mu.values[(i * d)..<((i + 1) * d)], logVariance.values[(i * d)..<((i + 1) * d)])
                } else {
                    negativeEntropy += -0.5 * Double(d) * logTwoPi - 0.5 * logVariance.values[(i * d)..<((i + 1) * d)].reduce(0) { $0 + 1 + $1 }
                }
            }
            negativeEntropy /= Double(b)
            var meanLogAggregate = 0.0
            for i in start..<(start + b) {
                logDensities.removeAll(keepingCapacity: true)
                for j in start..<(start + b) {
                    if let logDensity {
                        logDensities.append(logDensity(z.values[(i * d)..<((i + 1) * d)], mu.values[(j * d)..<((j + 1) * d)], logVariance.values[(j * d)..<((j + 1) * d)]))
                        continue
                    }
                    var quadratic = 0.0
                    for u in 0..<d {
                        let deviation = z.values[i * d + u] - mu.values[j * d + u]
                        quadratic += deviation * deviation * inverseVariance[j * d + u]
                    }
                    logDensities.append(-0.5 * quadratic + normalizer[j])
                }
                meanLogAggregate += LogSumExp.of(logDensities) - Foundation.log(Double(b))
            }
            meanLogAggregate /= Double(b)
            weightedSum += Double(b) * (negativeEntropy - meanLogAggregate)
            start += b
        }
        nats = weightedSum / Double(mu.rows)
        self.batchSize = batchSize
        examples = mu.rows
    }

    /// `MI 2.1 nats (at most log 256 = 5.55 with this estimator; 1000 examples)`, bounded as `reading` says.
    public var description: String {
        "MI \(reading.hasSuffix(")") ? String(reading.dropLast()) : reading); \(examples) examples)"
    }
}
