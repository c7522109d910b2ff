import RealModule
import Tensors

/// A fully connected layer `y = x·Wᵀ + b`, W stored outputs × inputs as in PyTorch's `nn.Linear`.
///
/// Initialisation is PyTorch's default: W ~ U(−1/√in, 1/√in) (Kaiming-uniform with a = √5 gives exactly this
/// bound) and b ~ U(−1/√in, 1/√in).
public struct Linear<Scalar: TensorScalar>: Layer {
    public let weight: ParameterTensor<Scalar>
    public let bias: ParameterTensor<Scalar>?
    public var inputs: Int { weight.columns }
    public var outputs: Int { weight.rows }

    public init(inputs: Int, outputs: Int, bias: Bool = true, generator: inout RandomGenerator) {
        precondition(inputs > 0 && outputs > 0, "a linear layer needs positive sizes")
        let bound = 1 / Double(inputs).squareRoot()
        var weight = Tensor<Scalar>(rows: outputs, columns: inputs)
        weight.withUnsafeMutableBufferPointer { generator.fillUniform($0, low: Scalar(-bound), high: Scalar(bound)) }
        self.weight = ParameterTensor(weight)
        if bias {
            var values = Tensor<Scalar>(rows: 1, columns: outputs)
            values.withUnsafeMutableBufferPointer { generator.fillUniform($0, low: Scalar(-bound), high: Scalar(bound)) }
            self.bias = ParameterTensor(values)
        } else {
            self.bias = nil
        }
    }

    public func callAsFunction(_ x: Graph<Scalar>.Variable, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        graph.linear(x, weight: graph.parameter(weight), bias: bias.map(graph.parameter))
    }

    /// `f(x·Wᵀ + b)` with the activation fused into the layer where its derivative follows from its output
    /// (`Graph.linear(_:weight:bias:activation:)`).
    public func callAsFunction(_ x: Graph<Scalar>.Variable, activation: UnaryOperation?, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        graph.linear(x, weight: graph.parameter(weight), bias: bias.map(graph.parameter), activation: activation)
    }

    public func parameters(prefix: String) -> [Parameter<Scalar>] {
        var result = [Parameter(name: "\(prefix).weight", tensor: weight)]
        if let bias { result.append(Parameter(name: "\(prefix).bias", tensor: bias)) }
        return result
    }

    /// Multiply-adds per example in the forward pass.
    public var multiplyAddsPerExample: Int { inputs * outputs }

    public var inputLayout: Layout { .flat(inputs) }
    public var outputLayout: Layout { .flat(outputs) }
    /// The output and its gradient.
    public var activationValuesPerExample: Int { 2 * outputs }
}
