import JSONConfig
import Layers
import Tensors

/// Which networks a model is built of (`model.architecture`, `model.encoder`, `model.decoder`):
///
/// - `mlp`: dense layers, `hidden_sizes` in the encoder and reversed in the decoder (what a config with
///   `hidden_sizes` means, and what flat data gets by default).
/// - `conv64`: disentanglement_lib's convolutional VAE for 64×64 images (Locatello et al. 2019), exactly as
///   PyTorch's reference defines it: convs 32, 32 (4×4 /2, padding 1), 64, 64 (2×2 /2), dense 256; decoder dense
///   256, 1024, reshape 64×4×4, transposed convs 64, 32, 32 and the data's channels (4×4 /2, padding 1).
/// - `conv`: convolutions sized to the image (what image data gets by default): while both sides are even and at
///   least 8, up to four times, a 4×4 stride-2 convolution halves them ("same" padding), with 32, 32, 64, 64
///   channels; then dense 256. The decoder mirrors it: dense 256, a dense layer to the last image, and
///   transposed convolutions back to the data's channels.
/// - explicit `encoder` (and optionally `decoder`) stage lists (`NetworkSpecification`); a missing decoder mirrors
///   the encoder the same way.
///
/// `automatic` (the config said nothing) becomes `conv` for image data and `mlp` otherwise once the data is known
/// (`resolved(for:hiddenSizes:)`); a run's config.json records the resolved networks.
public enum ModelArchitecture: Sendable, Equatable {
    case automatic
    case mlp
    case preset(String)
    case networks(encoder: NetworkSpecification, decoder: NetworkSpecification?)

    /// The names `model.architecture` takes.
    public static let presetNames = ["mlp", "conv", "conv64"]

    /// Why an architecture cannot be built for the data, with the config key it concerns.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var keyPath: String
        public var message: String
        public var description: String { "\(keyPath): \(message)" }
    }

    /// The architecture for data of `layout`: `.mlp` or `.networks` with both networks, and the words that say
    /// which was chosen when the config left it to the data.
    public func resolved(for layout: Layout, hiddenSizes: [Int]) throws(Problem) -> (architecture: ModelArchitecture, note: String?) {
        switch self {
        case .mlp:
            return (.mlp, nil)
        case .automatic:
            guard case .image(let c, let h, let w) = layout else { return (.mlp, nil) }
            let (encoder, decoder) = Self.convolutional(channels: c, height: h, width: w)
            return (.networks(encoder: encoder, decoder: decoder),
                    "architecture conv, chosen for \(layout) images (model.architecture \"mlp\" or hidden_sizes for dense layers): encoder \(encoder), decoder \(decoder)")
        case .preset(let name):
            switch name {
            case "mlp": return (.mlp, nil)
            case "conv64":
                guard case .image(let c, 64, 64) = layout else {
                    throw Problem(keyPath: "model.architecture", message: "conv64 is disentanglement_lib's model for 64×64 images, but the data is \(Self.words(layout)); use \"conv\", sized to the data")
                }
                let (encoder, decoder) = Self.conv64(channels: c)
                return (.networks(encoder: encoder, decoder: decoder), nil)
            default:
                guard case .image(let c, let h, let w) = layout else {
                    throw Problem(keyPath: "model.architecture", message: "\(name) needs image data, but the data is \(Self.words(layout)) (data.image_shape [height, width] makes flat rows images)")
                }
                let (encoder, decoder) = Self.convolutional(channels: c, height: h, width: w)
                return (.networks(encoder: encoder, decoder: decoder), nil)
            }
        case .networks(let encoder, let decoder):
            if case .flat = layout, !encoder.isDenseOnly {
                throw Problem(keyPath: "model.encoder", message: "convolutions need image data, but the data is \(Self.words(layout)) (data.image_shape [height, width] makes flat rows images)")
            }
            if let decoder { return (.networks(encoder: encoder, decoder: decoder), nil) }
            return (.networks(encoder: encoder, decoder: try Self.mirror(encoder, for: layout)), nil)
        }
    }

    static func words(_ layout: Layout) -> String {
        if case .image = layout { return "\(layout) images" }
        return "\(layout.count) flat features"
    }

    /// disentanglement_lib's encoder and decoder for 64×64 images of `channels` channels.
    public static func conv64(channels: Int) -> (encoder: NetworkSpecification, decoder: NetworkSpecification) {
        func conv(_ c: Int, _ k: Int, _ p: Int) -> any LayerSpecification {
            Conv2d<Float>.Specification(ConvolutionSettings(channels: c, kernel: (k, k), stride: (2, 2), padding: .explicit(top: p, bottom: p, left: p, right: p)))
        }
        func transposed(_ c: Int) -> any LayerSpecification {
            ConvTranspose2d<Float>.Specification(ConvolutionSettings(channels: c, kernel: (4, 4), stride: (2, 2), padding: .explicit(top: 1, bottom: 1, left: 1, right: 1)))
        }
        let encoder = NetworkSpecification(stages: [
            .init(typeName: "conv", layers: [conv(32, 4, 1), conv(32, 4, 1), conv(64, 2, 0), conv(64, 2, 0)]),
            .init(typeName: "dense", layers: [Dense<Float>.Specification(units: 256)]),
        ])
        let decoder = NetworkSpecification(stages: [
            .init(typeName: "dense", layers: [Dense<Float>.Specification(units: 256), Dense<Float>.Specification(units: 1024)]),
            .init(typeName: "conv_transpose", layers: [transposed(64), transposed(32), transposed(32), transposed(channels)]),
        ], reshape: .image(channels: 64, height: 4, width: 4))
        return (encoder, decoder)
    }

    /// Convolutions sized to a `channels`×`height`×`width` image (see the type's description).
    public static func convolutional(channels: Int, height: Int, width: Int) -> (encoder: NetworkSpecification, decoder: NetworkSpecification) {
        let widths = [32, 32, 64, 64]
        var convolutions: [ConvolutionSettings] = []
        var (h, w) = (height, width)
        while convolutions.count < 4, h >= 8, w >= 8, h % 2 == 0, w % 2 == 0 {
            convolutions.append(ConvolutionSettings(channels: widths[convolutions.count], kernel: (4, 4), stride: (2, 2), padding: .same))
            (h, w) = (h / 2, w / 2)
        }
        var encoderStages: [NetworkSpecification.Stage] = []
        if !convolutions.isEmpty { encoderStages.append(.init(typeName: "conv", layers: convolutions.map { Conv2d<Float>.Specification($0) })) }
        encoderStages.append(.init(typeName: "dense", layers: [Dense<Float>.Specification(units: 256)]))
        let encoder = NetworkSpecification(stages: encoderStages)
        var decoderStages: [NetworkSpecification.Stage] = [.init(typeName: "dense", layers: [Dense<Float>.Specification(units: 256)])]
        if let last = convolutions.last {
            let outputs = convolutions.dropLast().reversed().map(\.channels) + [channels]
            decoderStages.append(.init(typeName: "conv_transpose", layers: outputs.map {
                ConvTranspose2d<Float>.Specification(ConvolutionSettings(channels: $0, kernel: (4, 4), stride: (2, 2), padding: .same))
            }))
            return (encoder, NetworkSpecification(stages: decoderStages, reshape: .image(channels: last.channels ?? 1, height: h, width: w)))
        }
        return (encoder, NetworkSpecification(stages: decoderStages))
    }

    /// The decoder that mirrors `encoder` on data of `layout`: its dense layers reversed, then (when it convolves)
    /// a reshape to the encoder's last image and transposed convolutions with the same kernels, strides and
    /// padding back through the encoder's channels to the data's.
    public static func mirror(_ encoder: NetworkSpecification, for layout: Layout) throws(Problem) -> NetworkSpecification {
        let dense = encoder.layers.filter(\.readsFlat).reversed() as [any LayerSpecification]
        let convolutions = encoder.layers.compactMap { $0 as? Conv2d<Float>.Specification }
        guard !convolutions.isEmpty, case .image(let channels, _, _) = layout else {
            return NetworkSpecification(stages: [.init(typeName: "dense", layers: dense)])
        }
        // The encoder's last image, where the mirror starts, and every convolution's input on the way.
        var current = layout
        var inputs: [Layout] = []
        for (position, convolution) in convolutions.enumerated() {
            inputs.append(current)
            switch convolution.outputLayout(for: current) {
            case .success(let next): current = next
            case .failure(let error): throw Problem(keyPath: "model.encoder.conv[\(position)]", message: "\(convolution) on its \(current) input: \(error.description)")
            }
        }
        let outputs = convolutions.dropLast().reversed().map(\.settings.channels) + [channels]
        // Each transposed convolution undoes its convolution's size: where a stride does not tile the input (28 by
        // a 3×3 kernel, stride 2, padding 1 gives 14, whose transpose gives 27), the missing rows come back as
        // PyTorch's output_padding, as a PyTorch user writes by hand; when they cannot, the encoder's layer is named.
        var transposed: [any LayerSpecification] = []
        var image = current
        for (position, (convolution, output)) in zip(convolutions.indices.reversed(), zip(convolutions.reversed(), outputs)) {
            var settings = convolution.settings
            settings.channels = output
            guard case .image(_, let wantedHeight, let wantedWidth) = inputs[position],
                  case .success(let plain) = ConvTranspose2d<Float>.Specification(settings).outputLayout(for: image),
                  case .image(_, let height, let width) = plain else {
                throw Problem(keyPath: "model.encoder.conv[\(position)]", message: "\(convolution): its mirror in the decoder cannot be worked out from \(image); give model.decoder")
            }
            let (extraHeight, extraWidth) = (wantedHeight - height, wantedWidth - width)
            guard extraHeight == extraWidth, extraHeight >= 0, extraHeight < max(settings.stride.height, settings.stride.width),
                  extraHeight == 0 || settings.padding != .same else {
                throw Problem(keyPath: "model.encoder.conv[\(position)]", message: "\(convolution) takes \(inputs[position]) to \(image), and its stride does not tile the input so that a mirrored transposed convolution can bring back \(wantedHeight)×\(wantedWidth) (it gives \(height)×\(width)); use a kernel and padding that tile it (4×4 /2 pad 1 halves even sides), or give model.decoder with output_padding")
            }
            settings.outputPadding = extraHeight
            let layer = ConvTranspose2d<Float>.Specification(settings)
            transposed.append(layer)
            if case .success(let next) = layer.outputLayout(for: image) { image = next }
        }
        var stages: [NetworkSpecification.Stage] = []
        if !dense.isEmpty { stages.append(.init(typeName: "dense", layers: dense)) }
        stages.append(.init(typeName: "conv_transpose", layers: transposed))
        return NetworkSpecification(stages: stages, reshape: current)
    }
}
