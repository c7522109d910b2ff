import Foundation

/// The IWAE bound L_K = log (1/K)·Σ_k w_k of every example (see `ImportanceSampling`), with the K samples
/// drawn in chunks so that a model never holds more than `chunkSize` samples per example at once (jxhe
/// evaluates K = 500 in chunks of 100).
///
/// The caller's `logWeights(range)` returns the log weights of the samples with indices in `range` for every
/// example: examples × range.count values, example-major (row e holds example e's samples). Every index in
/// 0..<K is asked for exactly once, in order, the last chunk holding the remainder K mod chunkSize (Pythae's
/// `get_nll` drops that remainder). The weights are collected whole and each example's log-mean-exp is taken
/// once over all K, so the result does not depend on the chunk size at all: chunked equals unchunked
/// exactly, bit for bit.
public struct ImportanceSampledLogLikelihood: Sendable, Equatable, CustomStringConvertible {
    /// L_K per example, in nats.
    public let perExample: [Double]
    /// The mean of L_K over the examples.
    public let mean: Double
    /// The mean over examples of (1/K)·Σ_k log w_k: the K-sample ELBO estimate, ≤ `mean`.
    public let meanLogWeight: Double
    /// K.
    public let samples: Int
    /// Samples per call of `logWeights`.
    public let chunkSize: Int

    /// L_K for `examples` examples from `samples` (K ≥ 1) samples each, asked for `chunkSize` at a time.
    public init(examples: Int, samples: Int, chunkSize: Int = 100,
                logWeights: (_ sampleIndices: Range<Int>) throws -> [Double]) throws {
        let metric = "importance-sampled log-likelihood"
        guard examples >= 1 else { throw EvaluationError(metric: metric, "no examples") }
        guard samples >= 1 else { throw EvaluationError(metric: metric, "K must be at least 1, not \(samples)") }
        guard chunkSize >= 1 else { throw EvaluationError(metric: metric, "the chunk size must be at least 1, not \(chunkSize)") }
        var weights = [Double](repeating: 0, count: examples * samples)  // example-major, examples × K
        var start = 0
        while start < samples {
            let range = start..<min(start + chunkSize, samples)
            let chunk = try logWeights(range)
            guard chunk.count == examples * range.count else {
                throw EvaluationError(metric: metric, "logWeights(\(range)) returned \(chunk.count) values; \(examples) examples × \(range.count) samples are \(examples * range.count)")
            }
            for example in 0..<examples {
                for offset in 0..<range.count {
                    weights[example * samples + range.lowerBound + offset] = chunk[example * range.count + offset]
                }
            }
            start = range.upperBound
        }
        perExample = (0..<examples).map { ImportanceSampling.logMeanExp(weights[($0 * samples)..<(($0 + 1) * samples)]) }
        mean = perExample.reduce(0, +) / Double(examples)
        meanLogWeight = weights.reduce(0, +) / Double(weights.count)
        self.samples = samples
        self.chunkSize = chunkSize
    }

    /// `log p(x) ≥ -86.8 nats (IWAE, K = 5000, 10000 examples; K-sample ELBO -89.1)`.
    public var description: String {
        "log p(x) ≥ \(Format.number(mean)) nats (IWAE, K = \(samples), \(perExample.count) examples; K-sample ELBO \(Format.number(meanLogWeight)))"
    }
}
