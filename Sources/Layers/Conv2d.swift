import JSONConfig
import Tensors

/// A 2-D convolution of a batch of images, PyTorch's `nn.Conv2d` (no dilation, one group), with its activation
/// fused: y = f(conv(x, W) + b). W is held out × in × kh × kw, as PyTorch holds it, and initialised as PyTorch
/// does: W, b ~ U(−1/√fan_in, 1/√fan_in), fan_in = in·kh·kw (Kaiming-uniform with a = √5 gives this bound).
///
/// Config: a stage `"conv": [{"channels": 32, "kernel": 4, "stride": 2, "padding": "same"}, …]`
/// (`ConvolutionSettings`).
public struct Conv2d<Scalar: TensorScalar>: ConvolutionLayer {
    public let geometry: ConvolutionGeometry
    public let weight: ParameterTensor<Scalar>
    public let bias: ParameterTensor<Scalar>
    public let activation: UnaryOperation?

    public init(geometry: ConvolutionGeometry, activation: UnaryOperation?, generator: inout RandomGenerator) {
        precondition(!geometry.transposed, "Conv2d takes a convolution's geometry")
        self.geometry = geometry
        self.activation = activation
        (weight, bias) = Self.initialParameters(geometry: geometry, rows: geometry.outputChannels, fanIn: geometry.inputChannels * geometry.kernelCount, generator: &generator)
    }

    var weightShape: [Int] { [geometry.outputChannels, geometry.inputChannels, geometry.kernelHeight, geometry.kernelWidth] }

    /// `conv`: one entry per layer.
    public struct Specification: ConvolutionSpecification, Hashable {
        public var settings: ConvolutionSettings
        public init(_ settings: ConvolutionSettings) { self.settings = settings }
        public var typeName: String { "conv" }

        public func geometry(for input: Layout) -> Result<ConvolutionGeometry, LayerShapeError> {
            settings.geometry(transposed: false, input: input, outputChannels: settings.channels ?? 1)
        }

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
