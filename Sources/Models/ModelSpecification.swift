import JSONConfig
import Layers
import Tensors

/// A model type's configuration (`model.type` and its own keys): enough to name its loss terms before any
/// data is loaded, and to build its networks once the data's shape is known.
public protocol ModelSpecification: Sendable {
    /// The config name (`"vae"`).
    var typeName: String { get }
    /// The type's own keys of the model section (`latent_dim`, …), as a config writes them.
    var parametersJSON: [(String, JSONValue)] { get }
    /// The KL terms, in order, with their latent sizes.
    var klTerms: [(name: String, size: Int)] { get }
    /// Other loss terms besides the reconstruction (a radial loss), in order.
    var penaltyTerms: [String] { get }
    /// The model's own per-example measurements (`radius`), which metrics report and controllers may use.
    var measurementNames: [String] { get }
    /// Scalars the model reads at every forward pass (`B_contribution`), scheduled as quantities of the run.
    var quantities: [ModelQuantity] { get }
    /// Whether the model conditions on class labels.
    var needsLabels: Bool { get }
    /// The networks for data of `shape`, worked out before anything is allocated, named by their parameter
    /// prefixes in build order; an error in words when a network cannot take the data's shape.
    func plans(_ shape: ModelShape) throws(LayerShapeError) -> [(prefix: String, plan: NetworkPlan)]
    /// The networks for data of `shape`, initialised from `generator` (PyTorch's default initialisation).
    func build<Scalar: TensorScalar>(_ shape: ModelShape, generator: inout RandomGenerator) throws(LayerShapeError) -> any LatentVariableModel<Scalar>
    func isEqual(to other: any ModelSpecification) -> Bool
}

extension ModelSpecification {
    public var penaltyTerms: [String] { [] }
    public var measurementNames: [String] { [] }
    public var quantities: [ModelQuantity] { [] }

    /// The loss terms `forward` will return, in order (the same as the built model's `terms`).
    public var termNames: [String] { ["reconstruction"] + klTerms.map(\.name) + penaltyTerms }

    /// Latent sizes joined by "+": "8", "4+8".
    public var latentSummary: String { klTerms.map { String($0.size) }.joined(separator: "+") }
}

extension ModelSpecification where Self: Equatable {
    public func isEqual(to other: any ModelSpecification) -> Bool { (other as? Self) == self }
}
