import JSONConfig
import Layers
import Tensors

/// A variational autoencoder (Kingma & Welling 2014) with MLP networks: q(z | x) = N(μ(x), σ²(x)),
/// p(z) = N(0, I), p(x | z) from the likelihood; one KL term, `kl`, per latent dimension. With
/// `latent_geometry: "poincare"` the latent lives on the Poincaré ball instead (wrapped normals, a Monte Carlo
/// KL, the radial loss: `PoincareGeometry`).
///
/// Config: `{"type": "vae", "latent_dim": 8}` (with the shared `hidden_sizes`, `activation`, `likelihood`, and
/// the geometry's keys of `LatentGeometryReader`). Parameters: `encoder.layers.<i>.weight|bias` (input →
/// hidden… → 2·latent: μ (a tangent vector on the ball) then log σ²), `decoder.layers.<i>.weight|bias` (latent →
/// hidden reversed → features), and `decoder.log_variance` for a Gaussian likelihood with learned variance.
public struct VAE: ModelSpecification, Equatable {
    public var latentSize: Int
    public var geometry: any LatentGeometry

    public init(latentSize: Int, geometry: any LatentGeometry = EuclideanGeometry()) {
        self.latentSize = latentSize
        self.geometry = geometry
    }

    public static func == (lhs: VAE, rhs: VAE) -> Bool { lhs.latentSize == rhs.latentSize && lhs.geometry.isEqual(to: rhs.geometry) }

    public static let definition = ModelTypeDefinition(name: "vae", meaning: "a VAE: one latent with prior N(0, I) (or a wrapped normal on the Poincaré ball), KL term `kl`",
                                                       keys: ["latent_dim"] + LatentGeometryReader.keys) { section, context throws(ConfigError) in
        VAE(latentSize: try ModelTypeDefinition.size(section, "latent_dim", default: context.defaultLatentSize),
            geometry: try LatentGeometryReader.read(section, typeName: "vae"))
    }

    public var typeName: String { "vae" }
    public var parametersJSON: [(String, JSONValue)] { [("latent_dim", .number(latentSize))] + geometry.parametersJSON }
    public var klTerms: [(name: String, size: Int)] { [("kl", latentSize)] }
    public var penaltyTerms: [String] { geometry.penaltyTerms }
    public var measurementNames: [String] { geometry.measurementNames(blocks: ["kl"]) }
    public var quantities: [ModelQuantity] { geometry.quantities }
    public var needsLabels: Bool { false }

    public func plans(_ shape: ModelShape) throws(LayerShapeError) -> [(prefix: String, plan: NetworkPlan)] {
        try VAENetwork<Float>.plans(shape, latentSize: latentSize, conditioned: false)
    }

    public func build<Scalar: TensorScalar>(_ shape: ModelShape, generator: inout RandomGenerator) throws(LayerShapeError) -> any LatentVariableModel<Scalar> {
        try VAENetwork<Scalar>(shape, latentSize: latentSize, conditioned: false, geometry: geometry, generator: &generator)
    }
}

/// The networks of a VAE, or of a conditional VAE when `conditioned` (the one-hot label is joined to the
/// encoder's features before its first dense layer and to the decoder's input), with latents in `geometry`.
struct VAENetwork<Scalar: TensorScalar>: LatentVariableModel {
    let encoder: Network<Scalar>
    let decoder: Network<Scalar>
    let head: ReconstructionHead<Scalar>
    let latentSize: Int
    let conditioned: Bool
    let geometry: any LatentGeometry

    static func plans(_ shape: ModelShape, latentSize: Int, conditioned: Bool) throws(LayerShapeError) -> [(prefix: String, plan: NetworkPlan)] {
        let conditions = conditioned ? shape.classCount : 0
        return [("encoder", try shape.encoderPlan(sideWidth: conditions, statistics: 2 * latentSize)),
                ("decoder", try shape.decoderPlan(latent: latentSize, sideWidth: conditions))]
    }

    init(_ shape: ModelShape, latentSize: Int, conditioned: Bool, geometry: any LatentGeometry, generator: inout RandomGenerator) throws(LayerShapeError) {
        precondition(!conditioned || shape.classCount > 0, "a conditional model needs classes")
        let plans = try Self.plans(shape, latentSize: latentSize, conditioned: conditioned)
        encoder = Network(plans[0].plan, generator: &generator)
        decoder = Network(plans[1].plan, generator: &generator)
        head = ReconstructionHead(shape)
        self.latentSize = latentSize
        self.conditioned = conditioned
        self.geometry = geometry
    }

    var parameters: [Parameter<Scalar>] {
        encoder.parameters(prefix: "encoder") + decoder.parameters(prefix: "decoder") + head.parameters
    }

    var terms: [LossTermDescription] {
        [LossTermDescription(name: "reconstruction", role: .reconstruction), LossTermDescription(name: "kl", role: .kl, columns: latentSize)] + geometry.penaltyDescriptions
    }

    var measurementNames: [String] { geometry.measurementNames(blocks: ["kl"]) }
    var latentWidth: Int { latentSize }

    var callableNetworks: [CallableNetwork<Scalar>] {
        let sides: [(name: String, width: Int)] = conditioned ? [("y", encoder.sideWidth)] : []
        return [CallableNetwork(name: "encoder", network: encoder, input: .data, sides: sides, role: .encoder(latentSize: latentSize, geometry: geometry)),
                CallableNetwork(name: "decoder", network: decoder, input: .latent(name: "z", width: latentSize), sides: sides, role: .decoder)]
    }
    var multiplyAddsPerExample: Int { encoder.multiplyAddsPerExample + decoder.multiplyAddsPerExample }
    var inputLayerMultiplyAdds: Int { encoder.inputLayerMultiplyAdds }

    private func sides(_ conditions: Graph<Scalar>.Variable?) -> [Graph<Scalar>.Variable] {
        guard conditioned else { return [] }
        guard let conditions else { preconditionFailure("a conditional VAE needs the one-hot labels") }
        return [conditions]
    }

    private func encode(_ batch: ModelBatch<Scalar>, temperature: Double, noise: inout RandomGenerator, in graph: Graph<Scalar>) -> LatentSample<Scalar> {
        let statistics = encoder(batch.input, joining: sides(batch.conditions), in: graph)
        return geometry.sample(statistics, size: latentSize, temperature: temperature, noise: &noise, in: graph)
    }

    func forward(_ batch: ModelBatch<Scalar>, context: ForwardContext, noise: inout RandomGenerator, in graph: Graph<Scalar>) -> ModelOutput<Scalar> {
        let sample = encode(batch, temperature: context.temperature, noise: &noise, in: graph)
        let output = decode(sample.z, conditions: batch.conditions, context: context, in: graph)
        let reconstruction = head.reconstructionTerm(output, target: batch.target, context: context, in: graph)
        return geometry.output(reconstruction: reconstruction, samples: [sample], blocks: ["kl"], batch: batch, decoderOutput: output, latent: sample.z, in: graph)
    }

    func decode(_ latent: Graph<Scalar>.Variable, conditions: Graph<Scalar>.Variable?, context: ForwardContext, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        decoder(latent, joining: sides(conditions), in: graph)
    }

    func samplePrior(rows: Int, conditions: Graph<Scalar>.Variable?, temperature: Double, noise: inout RandomGenerator, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        geometry.samplePrior(rows: rows, sizes: [latentSize], temperature: temperature, noise: &noise, in: graph)
    }

    func logImportanceWeights(_ batch: ModelBatch<Scalar>, context: ForwardContext, noise: inout RandomGenerator, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        let sample = encode(batch, temperature: 1, noise: &noise, in: graph)
        let output = decode(sample.z, conditions: batch.conditions, context: context, in: graph)
        let logLikelihood = graph.scale(head.negativeLogLikelihood(output, target: batch.target, normalized: true, in: graph), by: -1)
        return graph.add(logLikelihood, geometry.logPriorRatio([sample], in: graph))
    }

    func reconstructionMean(_ output: Graph<Scalar>.Variable, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        head.mean(output, in: graph)
    }
}
