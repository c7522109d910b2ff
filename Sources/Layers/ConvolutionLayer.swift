import JSONConfig
import Tensors

/// What `Conv2d` and `ConvTranspose2d` share: a geometry, a weight held as PyTorch holds it, one bias per output
/// channel, an activation fused after the bias, and the graph's convolution op, which reads the geometry's
/// direction. Each layer type says only its weight's layout and its fan-in.
protocol ConvolutionLayer: Layer {
    var geometry: ConvolutionGeometry { get }
    var weight: ParameterTensor<Scalar> { get }
    var bias: ParameterTensor<Scalar> { get }
    var activation: UnaryOperation? { get }
    /// The weight's shape as PyTorch holds it.
    var weightShape: [Int] { get }
}

extension ConvolutionLayer {
    /// W (`rows` × the rest) and b drawn from U(−1/√fanIn, 1/√fanIn), in that order: PyTorch's default
    /// (Kaiming-uniform with a = √5 gives this bound for W).
    static func initialParameters(geometry: ConvolutionGeometry, rows: Int, fanIn: Int, generator: inout RandomGenerator)
        -> (weight: ParameterTensor<Scalar>, bias: ParameterTensor<Scalar>) {
        let bound = 1 / Double(fanIn).squareRoot()
        var weight = Tensor<Scalar>(rows: rows, columns: geometry.weightCount / rows)
        weight.withUnsafeMutableBufferPointer { generator.fillUniform($0, low: Scalar(-bound), high: Scalar(bound)) }
        var bias = Tensor<Scalar>(rows: 1, columns: geometry.outputChannels)
        bias.withUnsafeMutableBufferPointer { generator.fillUniform($0, low: Scalar(-bound), high: Scalar(bound)) }
        return (ParameterTensor(weight), ParameterTensor(bias))
    }

    public var inputLayout: Layout { geometry.inputLayout }
    public var outputLayout: Layout { geometry.outputLayout }

    public func callAsFunction(_ x: Graph<Scalar>.Variable, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        graph.convolution(x, weight: graph.parameter(weight), bias: graph.parameter(bias), geometry: geometry, activation: activation)
    }

    public func parameters(prefix: String) -> [Parameter<Scalar>] {
        [Parameter(name: "\(prefix).weight", tensor: weight, shape: weightShape),
         Parameter(name: "\(prefix).bias", tensor: bias, shape: [geometry.outputChannels])]
    }

    public var multiplyAddsPerExample: Int { geometry.multiplyAddsPerExample }
    /// The output and its gradient (an activation that is not fused keeps a second output and gradient).
    public var activationValuesPerExample: Int { (activation.map { $0.derivativeFollowsFromOutput ? 2 : 4 } ?? 2) * geometry.outputCount }
}

/// What the two convolution layers' specifications share: their settings and the sizes they give.
protocol ConvolutionSpecification: LayerSpecification {
    var settings: ConvolutionSettings { get }
    func geometry(for input: Layout) -> Result<ConvolutionGeometry, LayerShapeError>
}

extension ConvolutionSpecification {
    public var json: JSONValue { settings.json }
    public var readsFlat: Bool { false }
    public var description: String { "\(typeName) \(settings.summary)" }
    public var outputChannels: Int? { settings.channels }
    public func outputLayout(for input: Layout) -> Result<Layout, LayerShapeError> { geometry(for: input).map(\.outputLayout) }

    public func parameterCount(input: Layout) -> Double {
        guard case .success(let g) = geometry(for: input) else { return 0 }
        return Double(g.inputChannels) * Double(g.outputChannels) * Double(g.kernelCount) + Double(g.outputChannels)
    }

    public func multiplyAdds(input: Layout) -> Double {
        guard case .success(let g) = geometry(for: input) else { return 0 }
        return Double(g.multiplyAddsPerExample)
    }
}
