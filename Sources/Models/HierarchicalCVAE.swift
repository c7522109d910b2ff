import JSONConfig
import Layers
import Tensors

/// Seed 000's hierarchical CVAE: a global latent z_g with q(z_g | x, y) and prior N(0, I) (KL term `global`),
/// and a local latent z_l with q(z_l | x, z_g, y) and a learned conditional prior p(z_l | z_g, y) (KL term
/// `local`, the KL between two diagonal Gaussians); the decoder reads p(x | z_g, z_l, y).
///
/// Config: `{"type": "hierarchical_cvae", "global_latent_dim": 4, "local_latent_dim": 8}` (each defaults to
/// `latent_dim`), or `training.use_hierarchical_model: true`. Parameters: `global_encoder`, `local_encoder`,
/// `local_prior`, `decoder` (MLPs), and `decoder.log_variance` for a learned Gaussian variance. Its latents are
/// Euclidean: `latent_geometry: "poincare"` is refused.
public struct HierarchicalCVAE: ModelSpecification, Equatable {
    public var globalSize: Int
    public var localSize: Int

    public init(globalSize: Int, localSize: Int) {
        self.globalSize = globalSize
        self.localSize = localSize
    }

    public static let definition = ModelTypeDefinition(
        name: "hierarchical_cvae", meaning: "a global latent with prior N(0, I) and a local latent with a learned conditional prior; KL terms `global` and `local`",
        keys: ["latent_dim", "global_latent_dim", "local_latent_dim"] + LatentGeometryReader.keys
    ) { section, context throws(ConfigError) in
        _ = try LatentGeometryReader.read(section, typeName: "hierarchical_cvae",
                                          poincareUnsupported: "its local prior p(z_l | z_g, y) is a learned Gaussian, which has no wrapped-normal counterpart here")
        let latent = try ModelTypeDefinition.size(section, "latent_dim", default: context.defaultLatentSize)
        return HierarchicalCVAE(globalSize: try ModelTypeDefinition.size(section, "global_latent_dim", default: latent),
                                localSize: try ModelTypeDefinition.size(section, "local_latent_dim", default: latent))
    }

    public var typeName: String { "hierarchical_cvae" }
    public var parametersJSON: [(String, JSONValue)] { [("global_latent_dim", .number(globalSize)), ("local_latent_dim", .number(localSize))] }
    public var klTerms: [(name: String, size: Int)] { [("global", globalSize), ("local", localSize)] }
    public var needsLabels: Bool { true }

    public func build<Scalar: TensorScalar>(_ shape: ModelShape, generator: inout RandomGenerator) -> any LatentVariableModel<Scalar> {
        HierarchicalCVAENetwork<Scalar>(shape, globalSize: globalSize, localSize: localSize, generator: &generator)
    }
}

/// The four networks of the hierarchical CVAE. Hidden sizes are used by every encoder and the prior in
/// order, and by the decoder in reverse.
struct HierarchicalCVAENetwork<Scalar: TensorScalar>: LatentVariableModel {
    let encoder: MLP<Scalar>
    let localEncoder: MLP<Scalar>
    let localPrior: MLP<Scalar>
    let decoder: MLP<Scalar>
    let head: ReconstructionHead<Scalar>
    let globalSize: Int
    let localSize: Int

    init(_ shape: ModelShape, globalSize: Int, localSize: Int, generator: inout RandomGenerator) {
        precondition(shape.classCount > 0, "a conditional model needs classes")
        let conditions = shape.classCount
        encoder = MLP(sizes: [shape.featureCount + conditions] + shape.hiddenSizes + [2 * globalSize], activation: shape.activation, generator: &generator)
        localEncoder = MLP(sizes: [shape.featureCount + globalSize + conditions] + shape.hiddenSizes + [2 * localSize], activation: shape.activation, generator: &generator)
        localPrior = MLP(sizes: [globalSize + conditions] + shape.hiddenSizes + [2 * localSize], activation: shape.activation, generator: &generator)
        decoder = MLP(sizes: [globalSize + localSize + conditions] + shape.hiddenSizes.reversed() + [shape.featureCount], activation: shape.activation, generator: &generator)
        head = ReconstructionHead(shape)
        self.globalSize = globalSize
        self.localSize = localSize
    }

    var parameters: [Parameter<Scalar>] {
        encoder.parameters(prefix: "global_encoder") + localEncoder.parameters(prefix: "local_encoder")
            + localPrior.parameters(prefix: "local_prior") + decoder.parameters(prefix: "decoder") + head.parameters
    }

    var terms: [LossTermDescription] {
        [LossTermDescription(name: "reconstruction", role: .reconstruction), LossTermDescription(name: "global", role: .kl, columns: globalSize),
         LossTermDescription(name: "local", role: .kl, columns: localSize)]
    }

    var latentWidth: Int { globalSize + localSize }

    var multiplyAddsPerExample: Int {
        encoder.multiplyAddsPerExample + localEncoder.multiplyAddsPerExample + localPrior.multiplyAddsPerExample + decoder.multiplyAddsPerExample
    }

    var inputLayerMultiplyAdds: Int { encoder.layers[0].multiplyAddsPerExample }

    private func withConditions(_ x: Graph<Scalar>.Variable, _ conditions: Graph<Scalar>.Variable?, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        guard let conditions else { preconditionFailure("a hierarchical CVAE needs the one-hot labels") }
        return graph.concatenateColumns(x, conditions)
    }

    /// The posterior of both latents and the local prior, sampled with `temperature`.
    private func encode(_ batch: ModelBatch<Scalar>, temperature: Double, noise: inout RandomGenerator, in graph: Graph<Scalar>)
        -> (global: (mean: Graph<Scalar>.Variable, logVariance: Graph<Scalar>.Variable, z: Graph<Scalar>.Variable),
            local: (mean: Graph<Scalar>.Variable, logVariance: Graph<Scalar>.Variable, z: Graph<Scalar>.Variable),
            priorMean: Graph<Scalar>.Variable, priorLogVariance: Graph<Scalar>.Variable, globalKL: Graph<Scalar>.Variable) {
        let global = GaussianLatent.sample(encoder(withConditions(batch.input, batch.conditions, in: graph), in: graph), size: globalSize,
                                           temperature: temperature, noise: &noise, in: graph)
        let globalKL = graph.klStandardNormal(mean: global.mean, logVariance: global.logVariance)
        let local = GaussianLatent.sample(localEncoder(withConditions(graph.concatenateColumns(batch.input, global.z), batch.conditions, in: graph), in: graph),
                                          size: localSize, temperature: temperature, noise: &noise, in: graph)
        let (priorMean, priorLogVariance) = graph.splitColumns(localPrior(withConditions(global.z, batch.conditions, in: graph), in: graph), at: localSize)
        return (global, local, priorMean, priorLogVariance, globalKL)
    }

    func forward(_ batch: ModelBatch<Scalar>, context: ForwardContext, noise: inout RandomGenerator, in graph: Graph<Scalar>) -> ModelOutput<Scalar> {
        let e = encode(batch, temperature: context.temperature, noise: &noise, in: graph)
        let localKL = graph.klDiagonalGaussians(meanQ: e.local.mean, logVarianceQ: e.local.logVariance, meanP: e.priorMean, logVarianceP: e.priorLogVariance)
        let latent = graph.concatenateColumns(e.global.z, e.local.z)
        let output = decode(latent, conditions: batch.conditions, context: context, in: graph)
        let reconstruction = head.reconstructionTerm(output, target: batch.target, context: context, in: graph)
        var result = ModelOutput(terms: [reconstruction, e.globalKL, localKL], posteriorMeans: [e.global.mean, e.local.mean], decoderOutput: output, latent: latent)
        result.posteriorLogVariances = [e.global.logVariance, e.local.logVariance]
        result.posteriorSamples = [e.global.z, e.local.z]
        return result
    }

    func decode(_ latent: Graph<Scalar>.Variable, conditions: Graph<Scalar>.Variable?, context: ForwardContext, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        decoder(withConditions(latent, conditions, in: graph), in: graph)
    }

    func samplePrior(rows: Int, conditions: Graph<Scalar>.Variable?, temperature: Double, noise: inout RandomGenerator, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        let global = GaussianLatent.standardNormal(rows: rows, columns: globalSize, temperature: temperature, noise: &noise, in: graph)
        let (priorMean, priorLogVariance) = graph.splitColumns(localPrior(withConditions(global, conditions, in: graph), in: graph), at: localSize)
        let epsilon = GaussianLatent.standardNormal(rows: rows, columns: localSize, temperature: temperature, noise: &noise, in: graph)
        return graph.concatenateColumns(global, graph.reparameterize(mean: priorMean, logVariance: priorLogVariance, noise: epsilon))
    }

    func logImportanceWeights(_ batch: ModelBatch<Scalar>, context: ForwardContext, noise: inout RandomGenerator, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        let e = encode(batch, temperature: 1, noise: &noise, in: graph)
        let output = decode(graph.concatenateColumns(e.global.z, e.local.z), conditions: batch.conditions, context: context, in: graph)
        let logLikelihood = graph.scale(head.negativeLogLikelihood(output, target: batch.target, normalized: true, in: graph), by: -1)
        let logPrior = graph.add(GaussianLatent.standardLogDensity(e.global.z, in: graph),
                                 GaussianLatent.logDensity(e.local.z, mean: e.priorMean, logVariance: e.priorLogVariance, in: graph))
        let logPosterior = graph.add(GaussianLatent.logDensity(e.global.z, mean: e.global.mean, logVariance: e.global.logVariance, in: graph),
                                     GaussianLatent.logDensity(e.local.z, mean: e.local.mean, logVariance: e.local.logVariance, in: graph))
        return graph.add(logLikelihood, graph.subtract(logPrior, logPosterior))
    }

    func reconstructionMean(_ output: Graph<Scalar>.Variable, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        head.mean(output, in: graph)
    }
}
