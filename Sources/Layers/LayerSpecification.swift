import JSONConfig
import Tensors

/// One layer as a config describes it, before it is built for an input: `256` for a dense layer, `{"channels": 32,
/// "kernel": 4, "stride": 2, "padding": "same"}` for a convolution. It says what it makes of an input layout (or
/// why it cannot take it) and builds the layer. Each type comes with a `LayerTypeDefinition` in `LayerRegistry`.
public protocol LayerSpecification: Sendable, CustomStringConvertible {
    /// The registered type name (`dense`, `conv`, `conv_transpose`): the config key of its stage.
    var typeName: String { get }
    /// The entry as a config writes it.
    var json: JSONValue { get }
    /// Whether it reads flat features (a dense layer: an image before it is flattened) rather than an image.
    var readsFlat: Bool { get }
    /// The layout it makes of `input`, or why it cannot take it (a kernel larger than the input, an empty output).
    func outputLayout(for input: Layout) -> Result<Layout, LayerShapeError>
    /// The layer for `input` (flat for a dense layer: the flattened image plus any joined inputs), with `activation`
    /// fused after it (nil for a network's last layer), its parameters drawn from `generator` as PyTorch initialises
    /// them.
    func build<Scalar: TensorScalar>(input: Layout, activation: UnaryOperation?, generator: inout RandomGenerator) -> any Layer<Scalar>
    /// The input that gives `output`, when there is exactly one sensible one (a decoder's image is worked out
    /// backwards from the data through its image layers); nil when it cannot be worked out.
    func inputLayout(forOutput output: Layout) -> Layout?
    /// The output channels it states, if any (an image layer's).
    var outputChannels: Int? { get }
    /// Values in its parameters on `input` (which it can take), in a double so that absurd sizes are counted,
    /// not overflowed, before the memory check refuses them.
    func parameterCount(input: Layout) -> Double
    /// Multiply-adds per example of its forward pass on `input`.
    func multiplyAdds(input: Layout) -> Double
}

extension LayerSpecification {
    public func inputLayout(forOutput output: Layout) -> Layout? { nil }
    public var outputChannels: Int? { nil }
}

/// Why a layer cannot take its input, in words (`the kernel 5×5 is larger than the 4×4 input`).
public struct LayerShapeError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
