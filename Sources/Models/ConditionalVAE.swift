import JSONConfig
import Tensors

/// A conditional VAE (Sohn et al. 2015): q(z | x, y), p(x | z, y) with the one-hot class label y appended to
/// the encoder's and decoder's inputs; prior N(0, I); one KL term, `kl`. Sampling by class feeds that class's
/// one-hot label to the decoder.
///
/// Config: `{"type": "cvae", "latent_dim": 8}`. Parameters are named as the VAE's.
public struct ConditionalVAE: ModelSpecification, Equatable {
    public var latentSize: Int

    public init(latentSize: Int) {
        self.latentSize = latentSize
    }

    public static let definition = ModelTypeDefinition(name: "cvae", meaning: "a conditional VAE: the one-hot label conditions encoder and decoder, KL term `kl`", keys: ["latent_dim"]) { section, context throws(ConfigError) in
        ConditionalVAE(latentSize: try ModelTypeDefinition.size(section, "latent_dim", default: context.defaultLatentSize))
    }

    public var typeName: String { "cvae" }
    public var parametersJSON: [(String, JSONValue)] { [("latent_dim", .number(latentSize))] }
    public var klTerms: [(name: String, size: Int)] { [("kl", latentSize)] }
    public var needsLabels: Bool { true }

    public func build<Scalar: TensorScalar>(_ shape: ModelShape, generator: inout RandomGenerator) -> any LatentVariableModel<Scalar> {
        VAENetwork<Scalar>(shape, latentSize: latentSize, conditioned: true, generator: &generator)
    }
}
