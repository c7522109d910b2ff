import Foundation
import Testing
import Tensors
@testable import Evaluation

@Suite("Mutual information (He et al. 2019)")
struct MutualInformationTests {
    /// `rows` posteriors in `d` dimensions with means `mean(i, u)`, log-variance `logVariance`, and samples
    /// z = μ ± σ (the sign alternating), so that Σ_u ε² = d exactly and the neg-entropy term is matched.
    static func posteriors(rows: Int, d: Int, logVariance: Double, mean: (Int, Int) -> Double)
        -> (means: Tensor<Double>, logVariances: Tensor<Double>, samples: Tensor<Double>) {
        let sigma = exp(logVariance / 2)
        var means = [Double](), samples = [Double]()
        for i in 0..<rows {
            for u in 0..<d {
                means.append(mean(i, u))
                samples.append(mean(i, u) + ((i + u) % 2 == 0 ? sigma : -sigma))
            }
        }
        return (Tensor(rows: rows, columns: d, scalars: means), Tensor(rows: rows, columns: d, repeating: logVariance),
                Tensor(rows: rows, columns: d, scalars: samples))
    }

    @Test("a collapsed encoder (every posterior the same) carries no information: MI = 0")
    func collapsed() throws {
        let p = Self.posteriors(rows: 100, d: 3, logVariance: -1.2) { _, u in 0.4 * Double(u) - 0.3 }
        let result = try MutualInformation(means: p.means, logVariances: p.logVariances, samples: p.samples, batchSize: 32)
        // Every log N(z_i; μ_j, σ²) equals log q(z_i|x_i) = −d/2 − (d/2)·log 2π − ½Σ log σ², so log q(z_i) =
        // logsumexp of b equal terms − log b = that value, which is exactly the neg-entropy term.
        #expect(abs(result.nats) < 1e-12)
        #expect(result.batchSize == 32 && result.examples == 100 && result.batches == 4)
    }

    @Test("with a posterior density: every pair through it, the entropy term its one-sample estimate")
    func givenDensity() throws {
        // Two 1-D posteriors N(0, 1) and N(3, 1), samples z = 0.5 and 2, one batch. With the Gaussian density
        // given as a closure, log q(z_i | x_j) = c − ½(z_i − μ_j)² (c = −½ log 2π):
        //   log q(z_0|x_0) = c − 0.125, log q(z_0|x_1) = c − 3.125, log q(z_1|x_1) = c − 0.5, log q(z_1|x_0) = c − 2.
        // The entropy term is the sample's own density, c − (0.125 + 0.5)/2 = c − 0.3125 (not the exact
        // −½ − ½ log 2π), so MI = −0.3125 − ½[log(e^−0.125 + e^−3.125) + log(e^−0.5 + e^−2)] + log 2.
        let means = Tensor<Double>(rows: 2, columns: 1, scalars: [0, 3]), logVariances = Tensor<Double>(rows: 2, columns: 1, repeating: 0)
        let samples = Tensor<Double>(rows: 2, columns: 1, scalars: [0.5, 2])
        let gaussian: MutualInformation.LogDensity = { z, mean, logVariance in
            -0.5 * (log(2 * Double.pi) + logVariance[logVariance.startIndex] + pow(z[z.startIndex] - mean[mean.startIndex], 2) * exp(-logVariance[logVariance.startIndex]))
        }
        let result = try MutualInformation(means: means, logVariances: logVariances, samples: samples, batchSize: 2, logDensity: gaussian)
        let expected = -0.3125 - 0.5 * (log(exp(-0.125) + exp(-3.125)) + log(exp(-0.5) + exp(-2))) + log(2.0)
        #expect(abs(result.nats - expected) < 1e-12)
        // Without the closure the entropy term is exact: −½ − ½ log 2π instead of c − 0.3125, 0.1875 nats less.
        let exact = try MutualInformation(means: means, logVariances: logVariances, samples: samples, batchSize: 2)
        #expect(abs(exact.nats - (expected - 0.1875)) < 1e-12)
    }

    @Test("well-separated posteriors saturate at log B: one batch of 8 → log 8")
    func separated() throws {
        let p = Self.posteriors(rows: 8, d: 2, logVariance: 0) { i, u in u == 0 ? 100 * Double(i) : 0 }
        let result = try MutualInformation(means: p.means, logVariances: p.logVariances, samples: p.samples, batchSize: 8)
        // Other posteriors are ≥ 99 standard deviations away: e^(−99²/2) underflows, so log q(z_i) = log q(z_i|x_i) − log 8.
        #expect(close(result.nats, log(8.0), 1e-14))
        #expect(result.saturationBound == log(8.0))
    }

    @Test("batches are weighted by their size: 10 examples in batches of 4, 4, 2 → (4·log 4 + 4·log 4 + 2·log 2)/10")
    func batchWeighting() throws {
        let p = Self.posteriors(rows: 10, d: 2, logVariance: 0) { i, u in u == 0 ? 100 * Double(i) : 0 }
        let result = try MutualInformation(means: p.means, logVariances: p.logVariances, samples: p.samples, batchSize: 4)
        #expect(close(result.nats, (8 * log(4.0) + 2 * log(2.0)) / 10, 1e-14))  // ≈ 1.2476649
        #expect(result.batches == 3)
    }

    @Test("equals jxhe's calc_mi formula in NumPy/SciPy on 100 posteriors in 4-D, batches of 32 (the last of 4)")
    func matchesReference() throws {
        let reference = try Reference.load().posterior
        let result = try MutualInformation(means: matrix(reference.means), logVariances: matrix(reference.log_variances),
                                           samples: matrix(reference.samples), batchSize: reference.batch_size)
        #expect(close(result.nats, reference.mutual_information, 1e-12))
    }

    @Test("Float inputs are widened to Double")
    func floatInput() throws {
        let p = Self.posteriors(rows: 8, d: 2, logVariance: 0) { i, u in u == 0 ? 100 * Double(i) : 0 }
        let float = { (t: Tensor<Double>) in Tensor<Float>(rows: t.rows, columns: t.columns, scalars: t.scalars.map { Float($0) }) }
        let result = try MutualInformation(means: float(p.means), logVariances: float(p.logVariances), samples: float(p.samples), batchSize: 8)
        #expect(close(result.nats, log(8.0), 1e-6))
    }

    @Test("shapes that disagree are an error; the description states B and log B")
    func errorsAndDescription() throws {
        #expect(throws: EvaluationError(metric: "mutual information", "the means are 2 × 1 but the samples are 3 × 1")) {
            try MutualInformation(means: points([0, 1]), logVariances: points([0, 0]), samples: points([0, 1, 2]))
        }
        let p = Self.posteriors(rows: 8, d: 2, logVariance: 0) { i, u in u == 0 ? 100 * Double(i) : 0 }
        let result = try MutualInformation(means: p.means, logVariances: p.logVariances, samples: p.samples)
        #expect(result.description == "MI 2.08 nats (at most log 256 = 5.55 with this estimator; 8 examples)")
    }
}
