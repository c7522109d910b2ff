import JSONConfig
import Layers
import Tensors

/// A conditional VAE (Sohn et al. 2015): q(z | x, y), p(x | z, y) with the one-hot class label y appended to
/// the encoder's and decoder's inputs; prior N(0, I) (or a wrapped normal on the Poincaré ball with
/// `latent_geometry: "poincare"`: `PoincareGeometry`); one KL term, `kl`. Sampling by class feeds that class's
/// one-hot label to the decoder.
///
/// Config: `{"type": "cvae", "latent_dim": 8}` (and the geometry's keys). Parameters are named as the VAE's.
public struct ConditionalVAE: ModelSpecification, Equatable {
    public var latentSize: Int
    public var geometry: any LatentGeometry

    public init(latentSize: Int, geometry: any LatentGeometry = EuclideanGeometry()) {
        self.latentSize = latentSize
        self.geometry = geometry
    }

    public static func == (lhs: ConditionalVAE, rhs: ConditionalVAE) -> Bool { lhs.latentSize == rhs.latentSize && lhs.geometry.isEqual(to: rhs.geometry) }

    public static let definition = ModelTypeDefinition(name: "cvae", meaning: "a conditional VAE: the one-hot label conditions encoder and decoder, KL term `kl`",
                                                       keys: ["latent_dim"] + LatentGeometryReader.keys) { section, context throws(ConfigError) in
        ConditionalVAE(latentSize: try ModelTypeDefinition.size(section, "latent_dim", default: context.defaultLatentSize),
                       geometry: try LatentGeometryReader.read(section, typeName: "cvae"))
    }

    public var typeName: String { "cvae" }
    public var parametersJSON: [(String, JSONValue)] { [("latent_dim", .number(latentSize))] + geometry.parametersJSON }
    public var klTerms: [(name: String, size: Int)] { [("kl", latentSize)] }
    public var penaltyTerms: [String] { geometry.penaltyTerms }
    public var measurementNames: [String] { geometry.measurementNames(blocks: ["kl"]) }
    public var quantities: [ModelQuantity] { geometry.quantities }
    public var needsLabels: Bool { true }

    public func plans(_ shape: ModelShape) throws(LayerShapeError) -> [(prefix: String, plan: NetworkPlan)] {
        try VAENetwork<Float>.plans(shape, latentSize: latentSize, conditioned: true)
    }

    public func build<Scalar: TensorScalar>(_ shape: ModelShape, generator: inout RandomGenerator) throws(LayerShapeError) -> any LatentVariableModel<Scalar> {
        try VAENetwork<Scalar>(shape, latentSize: latentSize, conditioned: true, geometry: geometry, generator: &generator)
    }
}
