import Layers
import Tensors

/// A latent-variable model trained by its evidence lower bound: what the trainer, the evaluator and the
/// sampler need, and nothing about which model it is.
///
/// A new model is one file (a `ModelSpecification` with its `definition`, and the networks it builds) plus
/// one line in `ModelRegistry.definitions`.
public protocol LatentVariableModel<Scalar>: Sendable {
    associatedtype Scalar: TensorScalar

    /// Trainable parameters with stable dotted names (`encoder.layers.0.weight`), as in checkpoints.
    var parameters: [Parameter<Scalar>] { get }
    /// The loss terms `forward` returns, in order: `reconstruction`, the KL terms, then any penalties.
    var terms: [LossTermDescription] { get }
    /// The names of the per-example measurements `forward` returns besides the loss terms (`radius`).
    var measurementNames: [String] { get }
    /// The width of the latent code the decoder reads (every latent block together).
    var latentWidth: Int { get }
    /// The networks a user calls outside anneal, in the order of `parameters`: the encoders (one per latent block),
    /// a learned prior's network, then the decoder (for ONNX and PyTorch export).
    var callableNetworks: [CallableNetwork<Scalar>] { get }
    /// Multiply-adds per example in the forward pass, and those of layers that read the data directly (which
    /// need no input gradient), for FLOP counts.
    var multiplyAddsPerExample: Int { get }
    var inputLayerMultiplyAdds: Int { get }

    /// Records a forward pass: every loss term per example. The caller's `noise` draws the posterior samples
    /// (scaled by `context.temperature`).
    func forward(_ batch: ModelBatch<Scalar>, context: ForwardContext, noise: inout RandomGenerator, in graph: Graph<Scalar>) -> ModelOutput<Scalar>

    /// The decoder's output (logits or means) for latent codes `latent` (rows × `latentWidth`); the context
    /// gives the model's own quantities (a dual VAE's `B_contribution`).
    func decode(_ latent: Graph<Scalar>.Variable, conditions: Graph<Scalar>.Variable?, context: ForwardContext, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable

    /// Latent codes drawn from the prior (rows × `latentWidth`), with the noise scaled by `temperature`.
    func samplePrior(rows: Int, conditions: Graph<Scalar>.Variable?, temperature: Double, noise: inout RandomGenerator, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable

    /// One importance weight per example, log p(x, z) − log q(z | x) = log p(x | z) + log p(z) − log q(z | x)
    /// at one z ~ q(z | x) (rows × 1): K of them give the IWAE bound, and their mean is a one-sample ELBO.
    func logImportanceWeights(_ batch: ModelBatch<Scalar>, context: ForwardContext, noise: inout RandomGenerator, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable

    /// The mean of p(x | z) for decoder output `output` (probabilities, means, or per-group class probabilities).
    func reconstructionMean(_ output: Graph<Scalar>.Variable, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable
}

extension LatentVariableModel {
    public var measurementNames: [String] { [] }

    /// The names of the KL terms, in order.
    public var klTermNames: [String] { terms.filter { $0.role == .kl }.map(\.name) }

    /// Trainable values in all.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.tensor.count } }
}
