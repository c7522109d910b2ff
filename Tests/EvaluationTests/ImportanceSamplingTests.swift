import Foundation
import Testing
import Tensors
@testable import Evaluation

@Suite("Importance-sampled log-likelihood")
struct ImportanceSamplingTests {
    @Test("log-mean-exp at known values, without overflow or underflow")
    func logMeanExpValues() {
        #expect(ImportanceSampling.logMeanExp([0.0, 0]) == 0)
        #expect(close(ImportanceSampling.logMeanExp([log(1.0), log(3.0)]), log(2.0), 1e-15))  // mean of 1 and 3
        #expect(ImportanceSampling.logMeanExp([1000.0, 1000]) == 1000)  // e^1000 overflows; the answer does not
        #expect(ImportanceSampling.logMeanExp([-1000.0, -1000]) == -1000)  // e^−1000 underflows to 0
        #expect(close(ImportanceSampling.logMeanExp([-.infinity, 0]), -log(2.0), 1e-15))  // (0 + 1)/2
        #expect(ImportanceSampling.logMeanExp([Double]()) == -.infinity)
        #expect(ImportanceSampling.logMeanExp([-Double.infinity, -.infinity]) == -.infinity)
        #expect(ImportanceSampling.logMeanExp([Double.infinity, 0]) == .infinity)
        #expect(ImportanceSampling.logMeanExp([Double.nan, 0]).isNaN)
        // A term 40 nats below the maximum still counts: log((1 + e^−40)/2) = −log 2 + log1p(e^−40).
        #expect(ImportanceSampling.logMeanExp([0.0, -40]) == log1p(exp(-40.0)) - log(2.0))
        #expect(ImportanceSampling.logWeight(logLikelihood: -3, logPrior: -1.5, logPosterior: -0.25) == -4.25)
    }

    @Test("log-mean-exp ≥ the mean (Jensen), equal for constant weights")
    func jensen() {
        var generator = RandomGenerator(seed: 9)
        for size in [1, 2, 5, 100] {
            var values = [Double](repeating: 0, count: size)
            values.withUnsafeMutableBufferPointer { generator.fillNormal($0) }
            values = values.map { $0 * 20 - 50 }
            let mean = values.reduce(0, +) / Double(size)
            #expect(ImportanceSampling.logMeanExp(values) >= mean)
        }
        #expect(close(ImportanceSampling.logMeanExp(Array(repeating: -87.25, count: 500)), -87.25, 1e-15))
    }

    @Test("equals SciPy's logsumexp − log K", arguments: 0..<4)
    func matchesSciPy(index: Int) throws {
        let reference = try Reference.load().log_mean_exp[index]
        #expect(close(ImportanceSampling.logMeanExp(reference.values), reference.log_mean_exp, 1e-14))
    }

    /// The log weight of sample k of example e: a deterministic function of (e, k), so any chunking sees the same values.
    static func weight(example: Int, sample: Int) -> Double {
        -90 + 7 * sin(Double(sample) * 0.37 + Double(example)) + Double(example)
    }

    @Test("chunked equals unchunked exactly, every sample index asked for once, the remainder included",
          arguments: [1, 7, 100, 249, 250, 1000])
    func chunking(chunkSize: Int) throws {
        let examples = 3, samples = 250
        var ranges = [Range<Int>]()
        let chunked = try ImportanceSampledLogLikelihood(examples: examples, samples: samples, chunkSize: chunkSize) { range in
            ranges.append(range)
            return (0..<examples).flatMap { e in range.map { Self.weight(example: e, sample: $0) } }
        }
        // 250 = 2·100 + 50: with chunks of 100 the last call is 200..<250 (Pythae's get_nll drops it).
        #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == samples)
        #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        #expect(ranges.count == (samples + chunkSize - 1) / chunkSize)
        let unchunked = (0..<examples).map { e in ImportanceSampling.logMeanExp((0..<samples).map { Self.weight(example: e, sample: $0) }) }
        #expect(chunked.perExample == unchunked)
        #expect(chunked.mean == unchunked.reduce(0, +) / 3)
        #expect(chunked.samples == samples && chunked.chunkSize == chunkSize)
        #expect(chunked.mean >= chunked.meanLogWeight)  // the bound is above the K-sample ELBO
    }

    @Test("with the exact posterior as proposal every weight is p(x), so L_K = log p(x) exactly; with the prior, close below")
    func linearGaussian() throws {
        // z ~ N(0, 1), x | z ~ N(z, 1): p(x) = N(x; 0, 2) and the posterior is N(x/2, 1/2).
        let x = 1.3
        let logNormal = { (v: Double, mean: Double, variance: Double) in -0.5 * log(2 * Double.pi * variance) - (v - mean) * (v - mean) / (2 * variance) }
        let logEvidence = logNormal(x, 0, 2)
        var generator = RandomGenerator(seed: 21)
        func bound(samples: Int, proposalMean: Double, proposalVariance: Double) throws -> ImportanceSampledLogLikelihood {
            try ImportanceSampledLogLikelihood(examples: 1, samples: samples, chunkSize: 64) { range in
                var noise = [Double](repeating: 0, count: range.count)
                noise.withUnsafeMutableBufferPointer { generator.fillNormal($0) }
                return noise.map { e in
                    let z = proposalMean + proposalVariance.squareRoot() * e
                    return ImportanceSampling.logWeight(logLikelihood: logNormal(x, z, 1), logPrior: logNormal(z, 0, 1),
                                                        logPosterior: logNormal(z, proposalMean, proposalVariance))
                }
            }
        }
        #expect(close(try bound(samples: 10, proposalMean: x / 2, proposalVariance: 0.5).mean, logEvidence, 1e-14))
        let prior = try bound(samples: 5000, proposalMean: 0, proposalVariance: 1)
        #expect(abs(prior.mean - logEvidence) < 0.02)
        #expect(prior.meanLogWeight < logEvidence - 0.2)  // the ELBO with the prior as q is far below
    }

    @Test("a chunk of the wrong size and bad counts are errors")
    func errors() {
        #expect(throws: EvaluationError(metric: "importance-sampled log-likelihood", "logWeights(0..<2) returned 3 values; 2 examples × 2 samples are 4")) {
            try ImportanceSampledLogLikelihood(examples: 2, samples: 5, chunkSize: 2) { _ in [0, 0, 0] }
        }
        #expect(throws: EvaluationError(metric: "importance-sampled log-likelihood", "K must be at least 1, not 0")) {
            try ImportanceSampledLogLikelihood(examples: 2, samples: 0) { _ in [] }
        }
    }
}
