import JSONConfig
import Tensors

/// A 2-D convolution of a batch of images, PyTorch's `nn.Conv2d` (no dilation, one group), with its activation
/// fused: y = f(conv(x, W) + b). W is held out × in × kh × kw, as PyTorch holds it, and initialised as PyTorch
/// does: W, b ~ U(−1/√fan_in, 1/√fan_in), fan_in = in·kh·kw (Kaiming-uniform with a = √5 gives this bound).
///
/// Config: a stage `"conv": [{"channels": 32, "kernel": 4, "stride": 2, "padding": "same"}, …]`
/// (`ConvolutionSettings`).
public struct Conv2d<Scalar: TensorScalar>: Layer {
    public let geometry: ConvolutionGeometry
    public let weight: ParameterTensor<Scalar>
    public let bias: ParameterTensor<Scalar>
    public let activation: UnaryOperation?

    public init(geometry: ConvolutionGeometry, activation: UnaryOperation?, generator: inout RandomGenerator) {
        precondition(!geometry.transposed, "Conv2d takes a convolution's geometry")
        self.geometry = geometry
        self.activation = activation
        let fanIn = geometry.inputChannels * geometry.kernelCount
        let bound = 1 / Double(fanIn).squareRoot()
        var weight = Tensor<Scalar>(rows: geometry.outputChannels, columns: fanIn)
        weight.withUnsafeMutableBufferPointer { generator.fillUniform($0, low: Scalar(-bound), high: Scalar(bound)) }
        var bias = Tensor<Scalar>(rows: 1, columns: geometry.outputChannels)
        bias.withUnsafeMutableBufferPointer { generator.fillUniform($0, low: Scalar(-bound), high: Scalar(bound)) }
        self.weight = ParameterTensor(weight)
        self.bias = ParameterTensor(bias)
    }

    public var inputLayout: Layout { geometry.inputLayout }
    public var outputLayout: Layout { geometry.outputLayout }

    public func callAsFunction(_ x: Graph<Scalar>.Variable, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        graph.convolution(x, weight: graph.parameter(weight), bias: graph.parameter(bias), geometry: geometry, activation: activation)
    }

    public func parameters(prefix: String) -> [Parameter<Scalar>] {
        [Parameter(name: "\(prefix).weight", tensor: weight, shape: [geometry.outputChannels, geometry.inputChannels, geometry.kernelHeight, geometry.kernelWidth]),
         Parameter(name: "\(prefix).bias", tensor: bias, shape: [geometry.outputChannels])]
    }

    public var multiplyAddsPerExample: Int { geometry.multiplyAddsPerExample }
    /// The output and its gradient (an unfused activation keeps a second output), and the column scratch of one image.
    public var activationValuesPerExample: Int { (activation.map { $0.derivativeFollowsFromOutput ? 2 : 4 } ?? 2) * geometry.outputCount }

    /// `conv`: one entry per layer.
    public struct Specification: LayerSpecification, Hashable {
        public var settings: ConvolutionSettings
        public init(_ settings: ConvolutionSettings) { self.settings = settings }
        public var typeName: String { "conv" }
        public var json: JSONValue { settings.json }
        public var readsFlat: Bool { false }
        public var description: String { "conv \(settings.summary)" }

        public func geometry(for input: Layout) -> Result<ConvolutionGeometry, LayerShapeError> {
            settings.geometry(transposed: false, input: input, outputChannels: settings.channels ?? 1)
        }

        public func outputLayout(for input: Layout) -> Result<Layout, LayerShapeError> { geometry(for: input).map(\.outputLayout) }

        public func parameterCount(input: Layout) -> Double {
            guard case .success(let g) = geometry(for: input) else { return 0 }
            return Double(g.inputChannels) * Double(g.outputChannels) * Double(g.kernelCount) + Double(g.outputChannels)
        }

        public func multiplyAdds(input: Layout) -> Double {
            guard case .success(let g) = geometry(for: input) else { return 0 }
            return Double(g.multiplyAddsPerExample)
        }

        public var outputChannels: Int? { settings.channels }

        /// Only a stride-1 convolution has one input per output: in = out − padding_low − padding_high + kernel − 1
        /// ("same": in = out); the channels are left to the caller (1 here).
        public func inputLayout(forOutput output: Layout) -> Layout? {
            guard case .image(_, let height, let width) = output, settings.stride == (1, 1) else { return nil }
            switch settings.padding {
            case .same: return .image(channels: 1, height: height, width: width)
            case .explicit(let top, let bottom, let left, let right):
                let h = height - top - bottom + settings.kernel.height - 1, w = width - left - right + settings.kernel.width - 1
                return h >= 1 && w >= 1 ? .image(channels: 1, height: h, width: w) : nil
            }
        }

        public func build<S: TensorScalar>(input: Layout, activation: UnaryOperation?, generator: inout RandomGenerator) -> any Layer<S> {
            guard case .success(let geometry) = geometry(for: input) else { preconditionFailure("conv: build for an input it cannot take (\(input))") }
            return Conv2d<S>(geometry: geometry, activation: activation, generator: &generator)
        }
    }

    public static var definition: LayerTypeDefinition {
        LayerTypeDefinition(name: "conv", meaning: "2-D convolutions (PyTorch's Conv2d): {\"channels\": n, \"kernel\": k, \"stride\": s, \"padding\": p or \"same\"}",
                            keys: ["channels", "kernel", "stride", "padding"]) { node throws(ConfigError) in
            Specification(try ConvolutionSettings.read(node, what: "conv layer", transposed: false))
        }
    }
}
