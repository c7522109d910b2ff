import Tensors

/// A network worked out for its input before anything is allocated: every layer with the layout it reads and
/// writes and its activation, the reshapes between images and flat features, and where side inputs are joined
/// (before the first layer that reads flat features, so a convolutional encoder sees only the image and its dense
/// part sees [image features, side inputs…], as PyTorch CVAEs concatenate them). Its sizes feed the memory check;
/// `Network.init` builds it.
///
/// Layer names follow PyTorch's `state_dict`: a network of dense layers only (an MLP) `layers.<i>` (an
/// `nn.Sequential` of `nn.Linear`, as before convolutions existed, so every run folder still reads), any other
/// `<type>.<i>` counted per layer type (`conv.0`, `dense.1`).
public struct NetworkPlan: Sendable {
    public enum Step: Sendable {
        case layer(name: String, specification: any LayerSpecification, input: Layout, output: Layout, activation: UnaryOperation?)
        /// The same values viewed with another layout.
        case reshape(Layout)
        /// The side inputs are appended here, in order.
        case join
    }

    /// What the network must end in: flat statistics of this width (an encoder: a dense layer without an
    /// activation is appended), or the data's layout (a decoder: its last image layer has no activation and must
    /// give the data's shape; a decoder that ends flat gets a dense layer to the data's features).
    public enum Output: Sendable {
        case statistics(Int)
        case data(Layout)
    }

    public let steps: [Step]
    public let input: Layout
    public let sideWidth: Int
    public let output: Layout

    /// Works `specification` out for `input` with `sideWidth` joined values, ending as `output`, every hidden
    /// layer followed by `activation`. Throws, in words, when a layer cannot take what reaches it or a decoder
    /// does not come back to the data.
    public init(_ specification: NetworkSpecification, input: Layout, sideWidth: Int = 0, output: Output, activation: Activation) throws(LayerShapeError) {
        var layers = specification.layers
        var reshapeTarget = specification.reshape
        let endsAtData: Bool
        switch output {
        case .statistics(let width):
            layers.append(Dense<Float>.Specification(units: width))
            endsAtData = false
        case .data(let data):
            endsAtData = true
            if layers.last.map({ $0.readsFlat }) ?? true {
                layers.append(Dense<Float>.Specification(units: data.count))
            } else if case .image(let channels, _, _) = data, var last = layers.last as? ConvTranspose2d<Float>.Specification, last.settings.channels == nil {
                // A last transposed convolution without channels gives the data's.
                last.settings.channels = channels
                layers[layers.count - 1] = last
            }
            // The image the flat part becomes, worked out backwards from the data through the image layers.
            if reshapeTarget == nil, case .flat = input, let firstImage = layers.firstIndex(where: { !$0.readsFlat }) {
                var layout = data
                for index in (firstImage..<layers.count).reversed() {
                    guard case .image(_, let h, let w)? = layers[index].inputLayout(forOutput: layout) else {
                        throw LayerShapeError("cannot work out the image that \(layers[index]) reads to end at \(layout); give decoder.reshape [channels, height, width]")
                    }
                    // As many channels as the layer before gives; the first image layer reads as many as it gives.
                    layout = .image(channels: (index > firstImage ? layers[index - 1].outputChannels : layers[index].outputChannels) ?? 1, height: h, width: w)
                }
                reshapeTarget = layout
            }
        }
        var steps: [Step] = []
        var current = input
        var joined = false
        var counts: [String: Int] = [:]
        let mlpNames = layers.allSatisfy(\.readsFlat)
        func name(for type: String) -> String {
            let key = mlpNames ? "layers" : type
            let index = counts[key, default: 0]
            counts[key] = index + 1
            return "\(key).\(index)"
        }
        func join() {
            if case .image = current {
                current = .flat(current.count)
                steps.append(.reshape(current))
            }
            steps.append(.join)
            current = .flat(current.count + sideWidth)
            joined = true
        }
        if case .flat = input { join() }
        for (index, layer) in layers.enumerated() {
            let activation: UnaryOperation? = index == layers.count - 1 ? nil : activation.operation
            if layer.readsFlat {
                if !joined { join() }
                if case .image = current {
                    current = .flat(current.count)
                    steps.append(.reshape(current))
                }
            } else if case .flat = current {
                guard endsAtData, let target = reshapeTarget else {
                    throw LayerShapeError("\(layer) follows flat features: an encoder's image layers come before its dense layers")
                }
                if current.count != target.count {
                    // A dense layer to the image's size, as PyTorch decoders do before `Unflatten`.
                    let dense = Dense<Float>.Specification(units: target.count)
                    steps.append(.layer(name: name(for: "dense"), specification: dense, input: current, output: .flat(target.count), activation: activation))
                }
                current = target
                steps.append(.reshape(target))
            }
            if !layer.readsFlat, layer.outputChannels == nil {
                throw LayerShapeError("\(layer) needs \"channels\" (only a decoder's last transposed convolution may leave them to the data)")
            }
            switch layer.outputLayout(for: current) {
            case .failure(let error):
                throw LayerShapeError("\(layer) on its \(current) input: \(error.description)")
            case .success(let next):
                steps.append(.layer(name: name(for: layer.typeName), specification: layer, input: current, output: next, activation: activation))
                current = next
            }
        }
        if case .data(let data) = output {
            if case .image = current, current != data {
                throw LayerShapeError("the decoder ends at \(current), but the data is \(data): its last layers (or decoder.reshape) must come back to \(data)")
            }
            if current.count != data.count {
                throw LayerShapeError("the decoder ends with \(current.count) values per example, but the data has \(data.count)")
            }
        }
        self.steps = steps
        self.input = input
        self.sideWidth = sideWidth
        self.output = current
    }

    /// The layers with their layouts, in order.
    public var layers: [(name: String, specification: any LayerSpecification, input: Layout, output: Layout)] {
        steps.compactMap { if case .layer(let name, let specification, let input, let output, _) = $0 { (name, specification, input, output) } else { nil } }
    }

    /// Values in every parameter.
    public var parameterCount: Double { layers.reduce(0) { $0 + $1.specification.parameterCount(input: $1.input) } }
    /// Multiply-adds per example of the forward pass.
    public var multiplyAddsPerExample: Double { layers.reduce(0) { $0 + $1.specification.multiplyAdds(input: $1.input) } }
    /// Values a batch keeps per example: each layer's output and its gradient, the joined inputs, and the input.
    public var activationValuesPerExample: Double { layers.reduce(Double(input.count + sideWidth)) { $0 + 2 * Double($1.output.count) } }

    /// `conv 1×64×64 → 32×32×32, …, dense 1024 → 256, dense 256 → 20`.
    public var summary: String {
        layers.map { layer in
            layer.specification.readsFlat ? "dense \(layer.input.count) → \(layer.output.count)" : "\(layer.specification.typeName) \(layer.input) → \(layer.output)"
        }.joined(separator: ", ")
    }
}
