import JSONConfig
import Layers
import Tensors

/// Two VAEs sharing one decoder (the phased recipe's VAE-A and VAE-B): encoders A and B, each with its own
/// latent block, prior N(0, I) and KL term (`A`, `B`), and one decoder that reads both codes side by side,
/// [z_A, c·z_B], where c is the scheduled quantity `B_contribution` (default 1). With c = 0 block B reaches
/// nothing (its encoder learns only from its own KL, if weighted): B is inactive until a phase turns it on,
/// while A alone reconstructs. Each block's KL is weighed by its own quantity, `A_kl_weight` and
/// `B_kl_weight` (or the shared β). With `latent_geometry: "poincare"` each block is a Poincaré ball of its
/// own (`PoincareGeometry`): wrapped normals, the radial loss summed over both blocks, `radius` the mean of
/// `radius.A` and `radius.B`; the decoder reads the ball coordinates, c·z_B staying inside B's ball for c ≤ 1.
///
/// Config: `{"type": "dual_vae", "latent_dim": 8, "latent_dim_b": 4}` (`latent_dim_b` defaults to
/// `latent_dim`; and the geometry's keys). Parameters: `encoder_a`, `encoder_b` (input → hidden… → 2·size: μ
/// then log σ²), `decoder` (size_A + size_B → hidden reversed → features), and `decoder.log_variance` for a
/// learned Gaussian variance.
public struct DualVAE: ModelSpecification, Equatable {
    public var sizeA: Int
    public var sizeB: Int
    public var geometry: any LatentGeometry

    public init(sizeA: Int, sizeB: Int, geometry: any LatentGeometry = EuclideanGeometry()) {
        self.sizeA = sizeA
        self.sizeB = sizeB
        self.geometry = geometry
    }

    public static func == (lhs: DualVAE, rhs: DualVAE) -> Bool {
        lhs.sizeA == rhs.sizeA && lhs.sizeB == rhs.sizeB && lhs.geometry.isEqual(to: rhs.geometry)
    }

    public static let definition = ModelTypeDefinition(
        name: "dual_vae", meaning: "two encoders A and B with their own latents and KL terms `A` and `B`, one decoder reading [z_A, B_contribution·z_B]",
        keys: ["latent_dim", "latent_dim_b"] + LatentGeometryReader.keys
    ) { section, context throws(ConfigError) in
        let size = try ModelTypeDefinition.size(section, "latent_dim", default: context.defaultLatentSize)
        return DualVAE(sizeA: size, sizeB: try ModelTypeDefinition.size(section, "latent_dim_b", default: size),
                       geometry: try LatentGeometryReader.read(section, typeName: "dual_vae"))
    }

    public var typeName: String { "dual_vae" }
    public var parametersJSON: [(String, JSONValue)] { [("latent_dim", .number(sizeA)), ("latent_dim_b", .number(sizeB))] + geometry.parametersJSON }
    public var klTerms: [(name: String, size: Int)] { [("A", sizeA), ("B", sizeB)] }
    public var penaltyTerms: [String] { geometry.penaltyTerms }
    public var measurementNames: [String] { geometry.measurementNames(blocks: ["A", "B"]) }
    public var needsLabels: Bool { false }
    /// `B_contribution` first (the network reads it as model quantity 0), then the geometry's.
    public var quantities: [ModelQuantity] {
        [ModelQuantity(name: "B_contribution", defaultValue: 1, meaning: "the scale of block B's code in the decoder's input (0: B is inactive)")] + geometry.quantities
    }

    public func plans(_ shape: ModelShape) throws(LayerShapeError) -> [(prefix: String, plan: NetworkPlan)] {
        try DualVAENetwork<Float>.plans(shape, sizeA: sizeA, sizeB: sizeB)
    }

    public func build<Scalar: TensorScalar>(_ shape: ModelShape, generator: inout RandomGenerator) throws(LayerShapeError) -> any LatentVariableModel<Scalar> {
        try DualVAENetwork<Scalar>(shape, sizeA: sizeA, sizeB: sizeB, geometry: geometry, generator: &generator)
    }
}

/// The networks of a dual VAE.
struct DualVAENetwork<Scalar: TensorScalar>: LatentVariableModel {
    let encoderA: Network<Scalar>
    let encoderB: Network<Scalar>
    let decoder: Network<Scalar>
    let head: ReconstructionHead<Scalar>
    let sizeA: Int
    let sizeB: Int
    let geometry: any LatentGeometry

    static func plans(_ shape: ModelShape, sizeA: Int, sizeB: Int) throws(LayerShapeError) -> [(prefix: String, plan: NetworkPlan)] {
        [("encoder_a", try shape.encoderPlan(sideWidth: 0, statistics: 2 * sizeA)),
         ("encoder_b", try shape.encoderPlan(sideWidth: 0, statistics: 2 * sizeB)),
         ("decoder", try shape.decoderPlan(latent: sizeA + sizeB, sideWidth: 0))]
    }

    init(_ shape: ModelShape, sizeA: Int, sizeB: Int, geometry: any LatentGeometry, generator: inout RandomGenerator) throws(LayerShapeError) {
        let plans = try Self.plans(shape, sizeA: sizeA, sizeB: sizeB)
        encoderA = Network(plans[0].plan, generator: &generator)
        encoderB = Network(plans[1].plan, generator: &generator)
        decoder = Network(plans[2].plan, generator: &generator)
        head = ReconstructionHead(shape)
        self.sizeA = sizeA
        self.sizeB = sizeB
        self.geometry = geometry
    }

    var parameters: [Parameter<Scalar>] {
        encoderA.parameters(prefix: "encoder_a") + encoderB.parameters(prefix: "encoder_b") + decoder.parameters(prefix: "decoder") + head.parameters
    }

    var terms: [LossTermDescription] {
        [LossTermDescription(name: "reconstruction", role: .reconstruction), LossTermDescription(name: "A", role: .kl, columns: sizeA),
         LossTermDescription(name: "B", role: .kl, columns: sizeB)] + geometry.penaltyDescriptions
    }

    var measurementNames: [String] { geometry.measurementNames(blocks: ["A", "B"]) }

    var latentWidth: Int { sizeA + sizeB }

    /// `encoder_a` and `encoder_b` on x, and the decoder on [z_A, z_B] with z_B scaled by `B_contribution`
    /// (model quantity 0).
    var callableNetworks: [CallableNetwork<Scalar>] {
        [CallableNetwork(name: "encoder_a", network: encoderA, input: .data, sides: [], role: .encoder(latentSize: sizeA, geometry: geometry)),
         CallableNetwork(name: "encoder_b", network: encoderB, input: .data, sides: [], role: .encoder(latentSize: sizeB, geometry: geometry)),
         CallableNetwork(name: "decoder", network: decoder, input: .latent(name: "z", width: sizeA + sizeB), sides: [], role: .decoder,
                         scaledColumns: (start: sizeA, quantity: 0))]
    }
    var multiplyAddsPerExample: Int { encoderA.multiplyAddsPerExample + encoderB.multiplyAddsPerExample + decoder.multiplyAddsPerExample }
    var inputLayerMultiplyAdds: Int { encoderA.inputLayerMultiplyAdds + encoderB.inputLayerMultiplyAdds }

    /// Both blocks' posteriors, A's noise drawn first.
    private func encode(_ batch: ModelBatch<Scalar>, temperature: Double, noise: inout RandomGenerator, in graph: Graph<Scalar>) -> [LatentSample<Scalar>] {
        let a = geometry.sample(encoderA(batch.input, in: graph), size: sizeA, temperature: temperature, noise: &noise, in: graph)
        let b = geometry.sample(encoderB(batch.input, in: graph), size: sizeB, temperature: temperature, noise: &noise, in: graph)
        return [a, b]
    }

    func forward(_ batch: ModelBatch<Scalar>, context: ForwardContext, noise: inout RandomGenerator, in graph: Graph<Scalar>) -> ModelOutput<Scalar> {
        let samples = encode(batch, temperature: context.temperature, noise: &noise, in: graph)
        let latent = graph.concatenateColumns(samples[0].z, samples[1].z)
        let output = decode(latent, conditions: nil, context: context, in: graph)
        let reconstruction = head.reconstructionTerm(output, target: batch.target, context: context, in: graph)
        return geometry.output(reconstruction: reconstruction, samples: samples, blocks: ["A", "B"], batch: batch, decoderOutput: output, latent: latent, in: graph)
    }

    /// The decoder reads [z_A, c·z_B] with c = `B_contribution`.
    func decode(_ latent: Graph<Scalar>.Variable, conditions: Graph<Scalar>.Variable?, context: ForwardContext, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        let contribution = context.modelQuantity(0, default: 1)
        guard contribution != 1 else { return decoder(latent, in: graph) }
        let (a, b) = graph.splitColumns(latent, at: sizeA)
        return decoder(graph.concatenateColumns(a, graph.scale(b, by: contribution)), in: graph)
    }

    func samplePrior(rows: Int, conditions: Graph<Scalar>.Variable?, temperature: Double, noise: inout RandomGenerator, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        geometry.samplePrior(rows: rows, sizes: [sizeA, sizeB], temperature: temperature, noise: &noise, in: graph)
    }

    func logImportanceWeights(_ batch: ModelBatch<Scalar>, context: ForwardContext, noise: inout RandomGenerator, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        let samples = encode(batch, temperature: 1, noise: &noise, in: graph)
        let output = decode(graph.concatenateColumns(samples[0].z, samples[1].z), conditions: nil, context: context, in: graph)
        let logLikelihood = graph.scale(head.negativeLogLikelihood(output, target: batch.target, normalized: true, in: graph), by: -1)
        return graph.add(logLikelihood, geometry.logPriorRatio(samples, in: graph))
    }

    func reconstructionMean(_ output: Graph<Scalar>.Variable, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        head.mean(output, in: graph)
    }
}
