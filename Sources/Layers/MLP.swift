import Tensors

/// A multilayer perceptron: linear layers with an activation between them (none after the last): h₀ = x,
/// hᵢ₊₁ = f(hᵢ·Wᵢᵀ + bᵢ), the output hₙ₋₁·Wₙ₋₁ᵀ + bₙ₋₁.
/// Parameters are named `<prefix>.layers.<i>.weight` / `.bias`, like a PyTorch `nn.Sequential` of `nn.Linear`
/// held in a `layers` attribute.
public struct MLP<Scalar: TensorScalar>: Layer {
    public let layers: [Linear<Scalar>]
    public let activation: Activation

    /// `sizes` lists the widths from input to output: `[784, 400, 40]` is two layers.
    public init(sizes: [Int], activation: Activation = .relu, generator: inout RandomGenerator) {
        precondition(sizes.count >= 2, "an MLP needs at least an input and an output size")
        var layers: [Linear<Scalar>] = []
        for index in 0..<(sizes.count - 1) {
            layers.append(Linear(inputs: sizes[index], outputs: sizes[index + 1], generator: &generator))
        }
        self.layers = layers
        self.activation = activation
    }

    public var inputs: Int { layers[0].inputs }
    public var outputs: Int { layers[layers.count - 1].outputs }

    public func callAsFunction(_ x: Graph<Scalar>.Variable, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        // Each hidden layer's activation is fused into it (one node, one pass less each way).
        var h = x
        for index in layers.indices {
            h = layers[index](h, activation: index < layers.count - 1 ? activation.operation : nil, in: graph)
        }
        return h
    }

    public func parameters(prefix: String) -> [Parameter<Scalar>] {
        layers.enumerated().flatMap { $0.element.parameters(prefix: "\(prefix).layers.\($0.offset)") }
    }

    public var multiplyAddsPerExample: Int { layers.reduce(0) { $0 + $1.multiplyAddsPerExample } }

    public var inputLayout: Layout { .flat(inputs) }
    public var outputLayout: Layout { .flat(outputs) }
    public var activationValuesPerExample: Int { layers.reduce(0) { $0 + $1.activationValuesPerExample } }
}
