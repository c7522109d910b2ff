import JSONConfig
import Tensors

/// The space a model's latent codes live in (`model.latent_geometry`), with everything that depends on it: how
/// the encoder's statistics become a posterior and a sample, the KL to the prior, the log-densities of
/// importance sampling, prior samples, and any penalties and measurements of the codes. A model holds one
/// value and asks it; it never branches on the geometry itself.
///
/// `EuclideanGeometry` (the default: q = N(μ, σ²), p = N(0, I)) and `PoincareGeometry` (wrapped normals on the
/// Poincaré ball, with the radial loss). A new geometry is one conforming file and one case in
/// `LatentGeometryReader`.
public protocol LatentGeometry: Sendable {
    /// The config name (`euclidean`, `poincare`).
    var name: String { get }
    /// Its keys of the model section as a config writes them (empty for the default, so configs that never
    /// name a geometry are written as before).
    var parametersJSON: [(String, JSONValue)] { get }
    /// Loss terms it adds after the KL terms (`radial`), each rows × 1.
    var penaltyTerms: [String] { get }
    /// Quantities its terms need (`radial_weight`), scheduled by the run.
    var quantities: [ModelQuantity] { get }
    /// Whether the posterior is a diagonal Gaussian in the decoder's coordinates, so that the mutual-information
    /// estimate may use the Gaussian formula; otherwise it uses `posteriorLogDensity`.
    var isDiagonalGaussian: Bool { get }
    /// log q(z | x) of code `z` under the posterior with location `mean` and log-variance `logVariance`, in
    /// Double outside any graph (for estimators over pairs of examples, such as the mutual information).
    func posteriorLogDensity(_ z: ArraySlice<Double>, mean: ArraySlice<Double>, logVariance: ArraySlice<Double>) -> Double
    /// The per-example measurements for latent blocks named `blocks` (KL-term names), in order.
    func measurementNames(blocks: [String]) -> [String]
    func isEqual(to other: any LatentGeometry) -> Bool

    /// Splits an encoder head's `statistics` (rows × 2·size: location, then log σ²) and draws a code with the
    /// noise scaled by `temperature`.
    func sample<Scalar: TensorScalar>(_ statistics: Graph<Scalar>.Variable, size: Int, temperature: Double, noise: inout RandomGenerator,
                                      in graph: Graph<Scalar>) -> LatentSample<Scalar>
    /// KL(q(z | x) ‖ p(z)) per example and latent dimension (rows × size), summing to the example's KL.
    func kl<Scalar: TensorScalar>(_ sample: LatentSample<Scalar>, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable
    /// log p(z) of the prior, rows × 1.
    func logPrior<Scalar: TensorScalar>(_ z: Graph<Scalar>.Variable, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable
    /// log q(z | x) at the sample's code, rows × 1.
    func logPosterior<Scalar: TensorScalar>(_ sample: LatentSample<Scalar>, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable
    /// Codes from the prior for latent blocks of `sizes`, side by side (rows × Σ sizes), the noise scaled by
    /// `temperature`.
    func samplePrior<Scalar: TensorScalar>(rows: Int, sizes: [Int], temperature: Double, noise: inout RandomGenerator,
                                           in graph: Graph<Scalar>) -> Graph<Scalar>.Variable
    /// The values of `penaltyTerms` (each rows × 1) for a forward pass's latent blocks.
    func penalties<Scalar: TensorScalar>(_ samples: [LatentSample<Scalar>], batch: ModelBatch<Scalar>, in graph: Graph<Scalar>) -> [Graph<Scalar>.Variable]
    /// The values of `measurementNames(blocks:)` (each rows × 1).
    func measurements<Scalar: TensorScalar>(_ samples: [LatentSample<Scalar>], in graph: Graph<Scalar>) -> [Graph<Scalar>.Variable]
}

extension LatentGeometry where Self: Equatable {
    public func isEqual(to other: any LatentGeometry) -> Bool { (other as? Self) == self }
}

extension LatentGeometry {
    /// The loss terms after the reconstruction and the KL terms.
    var penaltyDescriptions: [LossTermDescription] { penaltyTerms.map { LossTermDescription(name: $0, role: .penalty) } }

    /// A forward pass's output: the terms (reconstruction, the KL terms of the latent blocks named `blocks`,
    /// then the penalties), each block's posterior location, the measurements, and, for a diagonal-Gaussian
    /// posterior, its log-variances and samples.
    func output<Scalar: TensorScalar>(reconstruction: Graph<Scalar>.Variable, samples: [LatentSample<Scalar>], blocks: [String], batch: ModelBatch<Scalar>,
                                      decoderOutput: Graph<Scalar>.Variable, latent: Graph<Scalar>.Variable, in graph: Graph<Scalar>) -> ModelOutput<Scalar> {
        let terms = [reconstruction] + samples.map { kl($0, in: graph) } + penalties(samples, batch: batch, in: graph)
        let names = measurementNames(blocks: blocks)
        var result = ModelOutput(terms: terms, posteriorMeans: samples.map(\.mean), decoderOutput: decoderOutput, latent: latent,
                                 measurements: Array(zip(names, measurements(samples, in: graph))))
        result.posteriorLogVariances = samples.map(\.logVariance)
        // The code at which the KL is evaluated (before a projection to the ball's max_radius).
        result.posteriorSamples = samples.map { $0.unprojected ?? $0.z }
        if !isDiagonalGaussian {
            let geometry = self
            result.posteriorLogDensity = { z, mean, logVariance in geometry.posteriorLogDensity(z, mean: mean, logVariance: logVariance) }
        }
        return result
    }

    /// log p(z) − log q(z | x) summed over latent blocks, rows × 1 (the latent part of an importance weight).
    func logPriorRatio<Scalar: TensorScalar>(_ samples: [LatentSample<Scalar>], in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        // Both densities at the drawn point (before a projection to the ball's max_radius), as the KL reads them.
        var logPrior = self.logPrior(samples[0].unprojected ?? samples[0].z, in: graph), logPosterior = self.logPosterior(samples[0], in: graph)
        for sample in samples.dropFirst() {
            logPrior = graph.add(logPrior, self.logPrior(sample.unprojected ?? sample.z, in: graph))
            logPosterior = graph.add(logPosterior, self.logPosterior(sample, in: graph))
        }
        return graph.subtract(logPrior, logPosterior)
    }
}
