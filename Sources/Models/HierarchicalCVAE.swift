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

    public func plans(_ shape: ModelShape) throws(LayerShapeError) -> [(prefix: String, plan: NetworkPlan)] {
        try HierarchicalCVAENetwork<Float>.plans(shape, globalSize: globalSize, localSize: localSize)
    }

    public func build<Scalar: TensorScalar>(_ shape: ModelShape, generator: inout RandomGenerator) throws(LayerShapeError) -> any LatentVariableModel<Scalar> {
        try HierarchicalCVAENetwork<Scalar>(shape, globalSize: globalSize, localSize: localSize, generator: &generator)
    }
}

/// The four networks of the hierarchical CVAE. Both encoders are the model's encoder (the local one joins z_g to
/// the label), the local prior its dense part on [z_g, y], the decoder the model's decoder on [z_g, z_l, y].
struct HierarchicalCVAENetwork<Scalar: TensorScalar>: LatentVariableModel {
    let encoder: Network<Scalar>
    let localEncoder: Network<Scalar>
    let localPrior: Network<Scalar>
    let decoder: Network<Scalar>
    let head: ReconstructionHead<Scalar>
    let globalSize: Int
    let localSize: Int

    static func plans(_ shape: ModelShape, globalSize: Int, localSize: Int) throws(LayerShapeError) -> [(prefix: String, plan: NetworkPlan)] {
        let conditions = shape.classCount
        return [("global_encoder", try shape.encoderPlan(sideWidth: conditions, statistics: 2 * globalSize)),
                ("local_encoder", try shape.encoderPlan(sideWidth: globalSize + conditions, statistics: 2 * localSize)),
                ("local_prior", try shape.encoderPlan(input: .flat(globalSize), flatOnly: true, sideWidth: conditions, statistics: 2 * localSize)),
                ("decoder", try shape.decoderPlan(latent: globalSize + localSize, sideWidth: conditions))]
    }

    init(_ shape: ModelShape, globalSize: Int, localSize: Int, generator: inout RandomGenerator) throws(LayerShapeError) {
        precondition(shape.classCount > 0, "a conditional model needs classes")
        let plans = try Self.plans(shape, globalSize: globalSize, localSize: localSize)
        encoder = Network(plans[0].plan, generator: &generator)
        localEncoder = Network(plans[1].plan, generator: &generator)
        localPrior = Network(plans[2].plan, generator: &generator)
        decoder = Network(plans[3].plan, generator: &generator)
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

    /// `global_encoder` [features(x), y], `local_encoder` [features(x), z_global, y], `local_prior` [z_global, y]
    /// (the conditional prior's μ and log σ²), `decoder` [z_global, z_local, y].
    var callableNetworks: [CallableNetwork<Scalar>] {
        let label = ("y", decoder.sideWidth)
        return [CallableNetwork(name: "global_encoder", network: encoder, input: .data, sides: [label],
                                role: .encoder(latentSize: globalSize, geometry: EuclideanGeometry())),
                CallableNetwork(name: "local_encoder", network: localEncoder, input: .data, sides: [("z_global", globalSize), label],
                                role: .encoder(latentSize: localSize, geometry: EuclideanGeometry())),
                CallableNetwork(name: "local_prior", network: localPrior, input: .latent(name: "z_global", width: globalSize), sides: [label],
                                role: .encoder(latentSize: localSize, geometry: EuclideanGeometry())),
                CallableNetwork(name: "decoder", network: decoder, input: .latent(name: "z", width: globalSize + localSize), sides: [label], role: .decoder)]
    }

    var multiplyAddsPerExample: Int {
        encoder.multiplyAddsPerExample + localEncoder.multiplyAddsPerExample + localPrior.multiplyAddsPerExample + decoder.multiplyAddsPerExample
    }

    var inputLayerMultiplyAdds: Int { encoder.inputLayerMultiplyAdds }

    private func labels(_ conditions: Graph<Scalar>.Variable?) -> Graph<Scalar>.Variable {
        guard let conditions else { preconditionFailure("a hierarchical CVAE needs the one-hot labels") }
        return conditions
    }

    /// The posterior of both latents and the local prior, sampled with `temperature`.
    private func encode(_ batch: ModelBatch<Scalar>, temperature: Double, noise: inout RandomGenerator, in graph: Graph<Scalar>)
        -> (global: (mean: Graph<Scalar>.Variable, logVariance: Graph<Scalar>.Variable, z: Graph<Scalar>.Variable),
            local: (mean: Graph<Scalar>.Variable, logVariance: Graph<Scalar>.Variable, z: Graph<Scalar>.Variable),
            priorMean: Graph<Scalar>.Variable, priorLogVariance: Graph<Scalar>.Variable, globalKL: Graph<Scalar>.Variable) {
        let global = GaussianLatent.sample(encoder(batch.input, joining: [labels(batch.conditions)], in: graph), size: globalSize,
                                           temperature: temperature, noise: &noise, in: graph)
        let globalKL = graph.klStandardNormal(mean: global.mean, logVariance: global.logVariance)
        let local = GaussianLatent.sample(localEncoder(batch.input, joining: [global.z, labels(batch.conditions)], in: graph),
                                          size: localSize, temperature: temperature, noise: &noise, in: graph)
        let (priorMean, priorLogVariance) = graph.splitColumns(localPrior(global.z, joining: [labels(batch.conditions)], in: graph), at: localSize)
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
        decoder(latent, joining: [labels(conditions)], in: graph)
    }

    func samplePrior(rows: Int, conditions: Graph<Scalar>.Variable?, temperature: Double, noise: inout RandomGenerator, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        let global = GaussianLatent.standardNormal(rows: rows, columns: globalSize, temperature: temperature, noise: &noise, in: graph)
        let (priorMean, priorLogVariance) = graph.splitColumns(localPrior(global, joining: [labels(conditions)], in: graph), at: localSize)
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
