import JSONConfig
import Tensors

/// A fully connected layer with its activation fused: f(x·Wᵀ + b) (`Linear`, PyTorch's layout and
/// initialisation), or x·Wᵀ + b when it is a network's last layer. Config: a stage `"dense": [256, 128]`, each
/// entry the layer's width (or `{"units": 256}`); an image before it is flattened (C·H·W in NCHW order, as
/// `torch.flatten`), and a network's joined inputs (the one-hot label) are appended there.
public struct Dense<Scalar: TensorScalar>: Layer {
    public let linear: Linear<Scalar>
    public let activation: UnaryOperation?

    public init(inputs: Int, outputs: Int, activation: UnaryOperation?, generator: inout RandomGenerator) {
        linear = Linear(inputs: inputs, outputs: outputs, generator: &generator)
        self.activation = activation
    }

    public var inputLayout: Layout { .flat(linear.inputs) }
    public var outputLayout: Layout { .flat(linear.outputs) }
    public func callAsFunction(_ x: Graph<Scalar>.Variable, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable { linear(x, activation: activation, in: graph) }
    public func parameters(prefix: String) -> [Parameter<Scalar>] { linear.parameters(prefix: prefix) }
    public var multiplyAddsPerExample: Int { linear.multiplyAddsPerExample }
    public var activationValuesPerExample: Int { linear.activationValuesPerExample }

    /// `dense`: one entry per layer, its width.
    public struct Specification: LayerSpecification, Hashable {
        public var units: Int
        public init(units: Int) { self.units = units }
        public var typeName: String { "dense" }
        public var json: JSONValue { .number(units) }
        public var readsFlat: Bool { true }
        public var description: String { "dense \(units)" }
        public func outputLayout(for input: Layout) -> Result<Layout, LayerShapeError> { .success(.flat(units)) }

        public func parameterCount(input: Layout) -> Double { (Double(input.count) + 1) * Double(units) }
        public func multiplyAdds(input: Layout) -> Double { Double(input.count) * Double(units) }
        public func build<S: TensorScalar>(input: Layout, activation: UnaryOperation?, generator: inout RandomGenerator) -> any Layer<S> {
            Dense<S>(inputs: input.count, outputs: units, activation: activation, generator: &generator)
        }
    }

    public static var definition: LayerTypeDefinition {
        LayerTypeDefinition(name: "dense", meaning: "fully connected layers: each entry its width (a number, or {\"units\": n})", keys: ["units"]) { node throws(ConfigError) in
            let units: Int
            if case .object = node.value.kind {
                let object = try node.object()
                let unitsNode = try object.required("units", "the layer's width")
                units = try unitsNode.integer()
                try object.finish(context: "dense layer")
            } else {
                units = try node.integer()
            }
            guard units >= 1 && units <= 1 << 24 else { throw node.error("a dense layer's width must be a whole number from 1 to 16777216, got \(node.value.briefDescription)") }
            return Specification(units: units)
        }
    }
}
