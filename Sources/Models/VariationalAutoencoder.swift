import Layers
import Tensors

/// A VAE with MLP encoder and decoder (Kingma & Welling 2014): the encoder maps x to (μ, log σ²) of a
/// diagonal Gaussian posterior, z = μ + ε·σ, and the decoder maps z to the likelihood's parameters.
///
/// Loss per example: reconstruction (negative log-likelihood summed over features) + β·KL(q(z|x) ‖ N(0, I)),
/// averaged over the batch. Its KL term is named `kl`.
public struct VariationalAutoencoder<Scalar: TensorScalar>: Sendable {
    public let encoder: MLP<Scalar>
    public let decoder: MLP<Scalar>
    public let latentDimension: Int
    public let likelihood: Likelihood

    /// `hiddenSizes` are used by the encoder in order and by the decoder in reverse.
    public init(inputSize: Int, hiddenSizes: [Int], latentDimension: Int, likelihood: Likelihood,
                activation: Activation = .relu, generator: inout RandomGenerator) {
        encoder = MLP(sizes: [inputSize] + hiddenSizes + [2 * latentDimension], activation: activation, generator: &generator)
        decoder = MLP(sizes: [latentDimension] + hiddenSizes.reversed() + [inputSize], activation: activation, generator: &generator)
        self.latentDimension = latentDimension
        self.likelihood = likelihood
    }

    public var parameters: [Parameter<Scalar>] {
        encoder.parameters(prefix: "encoder") + decoder.parameters(prefix: "decoder")
    }

    /// Forward multiply-adds per example.
    public var multiplyAddsPerExample: Int { encoder.multiplyAddsPerExample + decoder.multiplyAddsPerExample }

    /// The variables of one forward pass.
    public struct Output {
        /// The batch-mean loss, 1 × 1.
        public var loss: Graph<Scalar>.Variable
        /// Reconstruction negative log-likelihood per example, rows × 1.
        public var reconstruction: Graph<Scalar>.Variable
        /// KL per example and latent dimension, rows × latent.
        public var klPerDimension: Graph<Scalar>.Variable
        public var mean: Graph<Scalar>.Variable
        public var logVariance: Graph<Scalar>.Variable
        public var logits: Graph<Scalar>.Variable
    }

    /// The target of a reconstruction: the input itself (Bernoulli) or class labels (categorical).
    public enum Target {
        case values(Graph<Scalar>.Variable)
        case labels(Graph<Scalar>.Labels)
    }

    /// Records the forward pass of `input` (rows × inputSize) with reparameterisation noise `noise`
    /// (rows × latent) and KL weight `beta`.
    public func forward(_ input: Graph<Scalar>.Variable, target: Target, noise: Graph<Scalar>.Variable, beta: Double,
                        in graph: Graph<Scalar>) -> Output {
        let statistics = encoder(input, in: graph)
        let (mean, logVariance) = graph.splitColumns(statistics, at: latentDimension)
        let z = graph.reparameterize(mean: mean, logVariance: logVariance, noise: noise)
        let logits = decoder(z, in: graph)
        let reconstruction: Graph<Scalar>.Variable
        switch (likelihood, target) {
        case (.bernoulli, .values(let values)):
            reconstruction = graph.binaryCrossEntropyWithLogits(logits, targets: values)
        case (.categorical(let groupSize), .labels(let labels)):
            reconstruction = graph.categoricalCrossEntropy(logits, labels: labels, groupSize: groupSize)
        default:
            preconditionFailure("a \(likelihood) likelihood needs \(likelihood == .bernoulli ? "values" : "labels") as its target")
        }
        let klPerDimension = graph.klStandardNormal(mean: mean, logVariance: logVariance)
        let kl = graph.sumOverColumns(klPerDimension)
        let total = graph.add(reconstruction, graph.scale(kl, by: beta))
        return Output(loss: graph.mean(total), reconstruction: reconstruction, klPerDimension: klPerDimension,
                      mean: mean, logVariance: logVariance, logits: logits)
    }
}
