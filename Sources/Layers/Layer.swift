import Tensors

/// A network's building block: it records its forward pass into a graph, names its parameters (PyTorch's
/// `state_dict` paths below a prefix), and states its shapes, size and cost, from which the memory check, the
/// FLOP count and export are made. `Linear`, `Dense`, `MLP`, `Conv2d` and `ConvTranspose2d` conform; a new layer
/// type is one file with a `LayerTypeDefinition` and one line in `LayerRegistry`.
public protocol Layer<Scalar>: Sendable {
    associatedtype Scalar: TensorScalar
    /// The per-example layout it reads and writes.
    var inputLayout: Layout { get }
    var outputLayout: Layout { get }
    /// Records the forward pass of a batch (rows = examples) into `graph`.
    func callAsFunction(_ x: Graph<Scalar>.Variable, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable
    /// The parameters, named `<prefix>.weight` and `<prefix>.bias` (or below `prefix` for composites).
    func parameters(prefix: String) -> [Parameter<Scalar>]
    /// Multiply-adds per example of the forward pass.
    var multiplyAddsPerExample: Int { get }
    /// Values a batch keeps per example for the backward pass (outputs, their gradients and scratch), for the
    /// memory check.
    var activationValuesPerExample: Int { get }
}

extension Layer {
    /// Values in every parameter.
    public var parameterCount: Int { parameters(prefix: "").reduce(0) { $0 + $1.tensor.count } }
}
