import JSONConfig
import Layers
import Tensors

/// Two VAEs sharing one decoder (the phased recipe's VAE-A and VAE-B): encoders A and B, each with its own
/// latent block, prior N(0, I) and KL term (`A`, `B`), and one decoder that reads both codes side by side,
/// [z_A, c·z_B], where c is the scheduled quantity `B_contribution` (default 1). With c = 0 block B reaches
/// nothing (its encoder learns only from its own KL, if weighted): B is inactive until a phase turns it on,
/// while A alone reconstructs. Each block's KL is weighed by its own quantity, `A_kl_weight` and
/// `B_kl_weight` (or the shared β).
///
/// Config: `{"type": "dual_vae", "latent_dim": 8, "latent_dim_b": 4}` (`latent_dim_b` defaults to
/// `latent_dim`). Parameters: `encoder_a`, `encoder_b` (input → hidden… → 2·size: μ then log σ²),
/// `decoder` (size_A + size_B → hidden reversed → features), and `decoder.log_variance` for a learned
/// Gaussian variance.
public struct DualVAE: ModelSpecification, Equatable {
    public var sizeA: Int
    public var sizeB: Int

    public init(sizeA: Int, sizeB: Int) {
        self.sizeA = sizeA
        self.sizeB = sizeB
    }

    public static let definition = ModelTypeDefinition(
        name: "dual_vae", meaning: "two encoders A and B with their own latents and KL terms `A` and `B`, one decoder reading [z_A, B_contribution·z_B]",
        keys: ["latent_dim", "latent_dim_b"]
    ) { section, context throws(ConfigError) in
        let size = try ModelTypeDefinition.size(section, "latent_dim", default: context.defaultLatentSize)
        return DualVAE(sizeA: size, sizeB: try ModelTypeDefinition.size(section, "latent_dim_b", default: size))
    }

    public var typeName: String { "dual_vae" }
    public var parametersJSON: [(String, JSONValue)] { [("latent_dim", .number(sizeA)), ("latent_dim_b", .number(sizeB))] }
    public var klTerms: [(name: String, size: Int)] { [("A", sizeA), ("B", sizeB)] }
    public var needsLabels: Bool { false }
    public var quantities: [ModelQuantity] {
        [ModelQuantity(name: "B_contribution", defaultValue: 1, meaning: "the scale of block B's code in the decoder's input (0: B is inactive)")]
    }

    public func build<Scalar: TensorScalar>(_ shape: ModelShape, generator: inout RandomGenerator) -> any LatentVariableModel<Scalar> {
        DualVAENetwork<Scalar>(shape, sizeA: sizeA, sizeB: sizeB, generator: &generator)
    }
}

/// The networks of a dual VAE.
struct DualVAENetwork<Scalar: TensorScalar>: LatentVariableModel {
    let encoderA: MLP<Scalar>
    let encoderB: MLP<Scalar>
    let decoder: MLP<Scalar>
    let head: ReconstructionHead<Scalar>
    let sizeA: Int
    let sizeB: Int

    init(_ shape: ModelShape, sizeA: Int, sizeB: Int, generator: inout RandomGenerator) {
        encoderA = MLP(sizes: [shape.featureCount] + shape.hiddenSizes + [2 * sizeA], activation: shape.activation, generator: &generator)
        encoderB = MLP(sizes: [shape.featureCount] + shape.hiddenSizes + [2 * sizeB], activation: shape.activation, generator: &generator)
        decoder = MLP(sizes: [sizeA + sizeB] + shape.hiddenSizes.reversed() + [shape.featureCount], activation: shape.activation, generator: &generator)
        head = ReconstructionHead(shape)
        self.sizeA = sizeA
        self.sizeB = sizeB
    }

    var parameters: [Parameter<Scalar>] {
        encoderA.parameters(prefix: "encoder_a") + encoderB.parameters(prefix: "encoder_b") + decoder.parameters(prefix: "decoder") + head.parameters
    }

    var terms: [LossTermDescription] {
        [LossTermDescription(name: "reconstruction", role: .reconstruction), LossTermDescription(name: "A", role: .kl, columns: sizeA),
         LossTermDescription(name: "B", role: .kl, columns: sizeB)]
    }

    var latentWidth: Int { sizeA + sizeB }
    var multiplyAddsPerExample: Int { encoderA.multiplyAddsPerExample + encoderB.multiplyAddsPerExample + decoder.multiplyAddsPerExample }
    var inputLayerMultiplyAdds: Int { encoderA.layers[0].multiplyAddsPerExample + encoderB.layers[0].multiplyAddsPerExample }

    func forward(_ batch: ModelBatch<Scalar>, context: ForwardContext, noise: inout RandomGenerator, in graph: Graph<Scalar>) -> ModelOutput<Scalar> {
        let a = GaussianLatent.sample(encoderA(batch.input, in: graph), size: sizeA, temperature: context.temperature, noise: &noise, in: graph)
        let b = GaussianLatent.sample(encoderB(batch.input, in: graph), size: sizeB, temperature: context.temperature, noise: &noise, in: graph)
        let latent = graph.concatenateColumns(a.z, b.z)
        let output = decode(latent, conditions: nil, context: context, in: graph)
        let reconstruction = head.negativeLogLikelihood(output, target: batch.target, in: graph)
        let klA = graph.klStandardNormal(mean: a.mean, logVariance: a.logVariance)
        let klB = graph.klStandardNormal(mean: b.mean, logVariance: b.logVariance)
        var result = ModelOutput(terms: [reconstruction, klA, klB], posteriorMeans: [a.mean, b.mean], decoderOutput: output, latent: latent)
        result.posteriorLogVariances = [a.logVariance, b.logVariance]
        result.posteriorSamples = [a.z, b.z]
        return result
    }

    /// The decoder reads [z_A, c·z_B] with c = `B_contribution`.
    func decode(_ latent: Graph<Scalar>.Variable, conditions: Graph<Scalar>.Variable?, context: ForwardContext, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        let contribution = context.modelQuantity(0, default: 1)
        guard contribution != 1 else { return decoder(latent, in: graph) }
        let (a, b) = graph.splitColumns(latent, at: sizeA)
        return decoder(graph.concatenateColumns(a, graph.scale(b, by: contribution)), in: graph)
    }

    func samplePrior(rows: Int, conditions: Graph<Scalar>.Variable?, temperature: Double, noise: inout RandomGenerator, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        GaussianLatent.standardNormal(rows: rows, columns: sizeA + sizeB, temperature: temperature, noise: &noise, in: graph)
    }

    func logImportanceWeights(_ batch: ModelBatch<Scalar>, context: ForwardContext, noise: inout RandomGenerator, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        let a = GaussianLatent.sample(encoderA(batch.input, in: graph), size: sizeA, temperature: 1, noise: &noise, in: graph)
        let b = GaussianLatent.sample(encoderB(batch.input, in: graph), size: sizeB, temperature: 1, noise: &noise, in: graph)
        let output = decode(graph.concatenateColumns(a.z, b.z), conditions: nil, context: context, in: graph)
        let logLikelihood = graph.scale(head.negativeLogLikelihood(output, target: batch.target, normalized: true, in: graph), by: -1)
        let logPrior = graph.add(GaussianLatent.standardLogDensity(a.z, in: graph), GaussianLatent.standardLogDensity(b.z, in: graph))
        let logPosterior = graph.add(GaussianLatent.logDensity(a.z, mean: a.mean, logVariance: a.logVariance, in: graph),
                                     GaussianLatent.logDensity(b.z, mean: b.mean, logVariance: b.logVariance, in: graph))
        return graph.add(logLikelihood, graph.subtract(logPrior, logPosterior))
    }

    func reconstructionMean(_ output: Graph<Scalar>.Variable, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        head.mean(output, in: graph)
    }
}
