import Layers
import Tensors

/// What a model is built for: the data's shape and the settings every model type shares, among them the encoder
/// and decoder every network of the model is planned from (`NetworkPlan`).
public struct ModelShape: Equatable, Sendable {
    /// One example's layout: flat features, or an image.
    public var layout: Layout
    /// Classes of the conditioning label (0 for unlabelled data).
    public var classCount: Int
    /// Classes per group of a categorical target (the ternary operations: 3), for the categorical likelihood.
    public var categoryGroupSize: Int?
    public var encoder: NetworkSpecification
    public var decoder: NetworkSpecification
    public var activation: Activation
    public var likelihood: Likelihood

    public var featureCount: Int { layout.count }

    public init(layout: Layout, classCount: Int = 0, categoryGroupSize: Int? = nil, encoder: NetworkSpecification, decoder: NetworkSpecification,
                activation: Activation = .relu, likelihood: Likelihood) {
        self.layout = layout
        self.classCount = classCount
        self.categoryGroupSize = categoryGroupSize
        self.encoder = encoder
        self.decoder = decoder
        self.activation = activation
        self.likelihood = likelihood
    }

    /// MLP networks: the encoder's hidden layers `hiddenSizes`, the decoder's the same reversed.
    public init(featureCount: Int, classCount: Int = 0, categoryGroupSize: Int? = nil, hiddenSizes: [Int], activation: Activation = .relu, likelihood: Likelihood) {
        self.init(layout: .flat(featureCount), classCount: classCount, categoryGroupSize: categoryGroupSize, encoder: .dense(hiddenSizes),
                  decoder: .dense(hiddenSizes.reversed()), activation: activation, likelihood: likelihood)
    }

    /// An encoder's plan: `layout` in, with `sideWidth` values joined, 2·`latent` statistics out.
    /// Errors name the config key (`model.encoder: …`).
    public func encoderPlan(input: Layout? = nil, flatOnly: Bool = false, sideWidth: Int, statistics: Int) throws(LayerShapeError) -> NetworkPlan {
        do {
            return try NetworkPlan(flatOnly ? encoder.flatPart : encoder, input: input ?? layout, sideWidth: sideWidth, output: .statistics(statistics), activation: activation)
        } catch {
            throw LayerShapeError("model.encoder: \(error.description)")
        }
    }

    /// A decoder's plan: `latent` values in, with `sideWidth` joined, the data's layout out.
    public func decoderPlan(latent: Int, sideWidth: Int) throws(LayerShapeError) -> NetworkPlan {
        do {
            return try NetworkPlan(decoder, input: .flat(latent), sideWidth: sideWidth, output: .data(layout), activation: activation)
        } catch {
            throw LayerShapeError("model.decoder: \(error.description)")
        }
    }
}
