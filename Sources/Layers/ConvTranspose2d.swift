import JSONConfig
import Tensors

/// A 2-D transposed convolution of a batch of images, PyTorch's `nn.ConvTranspose2d` (no dilation, one group),
/// with its activation fused: y = f(conv_transposed(x, W) + b), the input gradient of a convolution with the same
/// weights. W is held in × out × kh × kw, as PyTorch holds it, and initialised as PyTorch does:
/// W, b ~ U(−1/√fan_in, 1/√fan_in) with PyTorch's fan_in of that layout, out·kh·kw.
///
/// Config: a stage `"conv_transpose": [{"channels": 32, "kernel": 4, "stride": 2, "padding": 1}, …]`
/// (`ConvolutionSettings`); a decoder's last entry may leave `channels` out (the data's channels).
public struct ConvTranspose2d<Scalar: TensorScalar>: ConvolutionLayer {
    public let geometry: ConvolutionGeometry
    public let weight: ParameterTensor<Scalar>
    public let bias: ParameterTensor<Scalar>
    public let activation: UnaryOperation?

    public init(geometry: ConvolutionGeometry, activation: UnaryOperation?, generator: inout RandomGenerator) {
        precondition(geometry.transposed, "ConvTranspose2d takes a transposed convolution's geometry")
        self.geometry = geometry
        self.activation = activation
        (weight, bias) = Self.initialParameters(geometry: geometry, rows: geometry.inputChannels, fanIn: geometry.outputChannels * geometry.kernelCount, generator: &generator)
    }

    var weightShape: [Int] { [geometry.inputChannels, geometry.outputChannels, geometry.kernelHeight, geometry.kernelWidth] }

    /// `conv_transpose`: one entry per layer.
    public struct Specification: ConvolutionSpecification, Hashable {
        public var settings: ConvolutionSettings
        public init(_ settings: ConvolutionSettings) { self.settings = settings }
        public var typeName: String { "conv_transpose" }

        /// The geometry on `input` (one output channel when `channels` is left out: a decoder's plan gives it the data's first).
        public func geometry(for input: Layout) -> Result<ConvolutionGeometry, LayerShapeError> {
            settings.geometry(transposed: true, input: input, outputChannels: settings.channels ?? 1)
        }

        /// in = (out + padding_low + padding_high − kernel)/stride + 1 per side ("same": out/stride), when whole;
        /// the channels are left to the caller (1 here).
        public func inputLayout(forOutput output: Layout) -> Layout? {
            guard case .image(_, let height, let width) = output else { return nil }
            func side(_ out: Int, _ k: Int, _ s: Int, _ low: Int, _ high: Int) -> Int? {
                let span = out + low + high - k
                guard span >= 0, span % s == 0 else { return nil }
                return span / s + 1
            }
            let h: Int?, w: Int?
            switch settings.padding {
            case .same:
                guard settings.kernel.height >= settings.stride.height, settings.kernel.width >= settings.stride.width,
                      height % settings.stride.height == 0, width % settings.stride.width == 0 else { return nil }
                (h, w) = (height / settings.stride.height, width / settings.stride.width)
            case .explicit(let top, let bottom, let left, let right):
                h = side(height, settings.kernel.height, settings.stride.height, top, bottom - settings.outputPadding)
                w = side(width, settings.kernel.width, settings.stride.width, left, right - settings.outputPadding)
            }
            guard let h, let w, h >= 1, w >= 1 else { return nil }
            return .image(channels: 1, height: h, width: w)
        }

        public func build<S: TensorScalar>(input: Layout, activation: UnaryOperation?, generator: inout RandomGenerator) -> any Layer<S> {
            guard case .success(let geometry) = geometry(for: input) else { preconditionFailure("conv_transpose: build for an input it cannot take (\(input))") }
            return ConvTranspose2d<S>(geometry: geometry, activation: activation, generator: &generator)
        }
    }

    public static var definition: LayerTypeDefinition {
        LayerTypeDefinition(name: "conv_transpose", meaning: "2-D transposed convolutions (PyTorch's ConvTranspose2d): {\"channels\": n, \"kernel\": k, \"stride\": s, \"padding\": p or \"same\", \"output_padding\": q}",
                            keys: ["channels", "kernel", "stride", "padding", "output_padding"]) { node throws(ConfigError) in
            Specification(try ConvolutionSettings.read(node, what: "conv_transpose layer", transposed: true))
        }
    }
}
