import JSONConfig
import Tensors

/// The default latent space, ℝᵈ: q(z | x) = N(μ, σ²) with z = μ + τ·σ·ε, p(z) = N(0, I), and the closed-form
/// KL ½(μ² + σ² − 1 − log σ²) per dimension (Kingma & Welling 2014). No penalties or measurements.
///
/// Config: `"latent_geometry": "euclidean"`, or nothing.
public struct EuclideanGeometry: LatentGeometry, Hashable {
    public init() {}

    public var name: String { "euclidean" }
    public var parametersJSON: [(String, JSONValue)] { [] }
    public var penaltyTerms: [String] { [] }
    public var quantities: [ModelQuantity] { [] }
    public var isDiagonalGaussian: Bool { true }

    /// log N(z; μ, diag σ²) = Σ_u −½·(log 2π + log σ²_u + (z_u − μ_u)²/σ²_u).
    public func posteriorLogDensity(_ z: ArraySlice<Double>, mean: ArraySlice<Double>, logVariance: ArraySlice<Double>) -> Double {
        var total = 0.0
        for u in 0..<z.count {
            let deviation = z[z.startIndex + u] - mean[mean.startIndex + u], lv = logVariance[logVariance.startIndex + u]
            total += -0.5 * (Double.log(2 * Double.pi) + lv + deviation * deviation * Double.exp(-lv))
        }
        return total
    }
    public func measurementNames(blocks: [String]) -> [String] { [] }

    public func sample<Scalar: TensorScalar>(_ statistics: Graph<Scalar>.Variable, size: Int, temperature: Double, noise: inout RandomGenerator,
                                             in graph: Graph<Scalar>) -> LatentSample<Scalar> {
        let (mean, logVariance, z) = GaussianLatent.sample(statistics, size: size, temperature: temperature, noise: &noise, in: graph)
        return LatentSample(mean: mean, logVariance: logVariance, z: z)
    }

    public func kl<Scalar: TensorScalar>(_ sample: LatentSample<Scalar>, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        graph.klStandardNormal(mean: sample.mean, logVariance: sample.logVariance)
    }

    public func logPrior<Scalar: TensorScalar>(_ z: Graph<Scalar>.Variable, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        GaussianLatent.standardLogDensity(z, in: graph)
    }

    public func logPosterior<Scalar: TensorScalar>(_ sample: LatentSample<Scalar>, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        GaussianLatent.logDensity(sample.z, mean: sample.mean, logVariance: sample.logVariance, in: graph)
    }

    /// One draw of N(0, τ²I) for all blocks together (rows × Σ sizes).
    public func samplePrior<Scalar: TensorScalar>(rows: Int, sizes: [Int], temperature: Double, noise: inout RandomGenerator,
                                                  in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        GaussianLatent.standardNormal(rows: rows, columns: sizes.reduce(0, +), temperature: temperature, noise: &noise, in: graph)
    }

    public func penalties<Scalar: TensorScalar>(_ samples: [LatentSample<Scalar>], batch: ModelBatch<Scalar>, in graph: Graph<Scalar>) -> [Graph<Scalar>.Variable] { [] }

    public func measurements<Scalar: TensorScalar>(_ samples: [LatentSample<Scalar>], in graph: Graph<Scalar>) -> [Graph<Scalar>.Variable] { [] }
}
