import Tensors

/// An encoder or decoder built from a `NetworkSpecification` for its input: layers in order, with the reshapes
/// between images and flat features made explicit, and the point where side inputs (a one-hot label, another
/// latent) are joined: before the first layer that reads flat features, so a convolutional encoder sees only the
/// image and its dense part sees [image features, side inputs…], as PyTorch CVAEs concatenate them.
///
/// Parameters are named as PyTorch would hold them: a network of dense layers only (an MLP) `<prefix>.layers.<i>`
/// (an `nn.Sequential` of `nn.Linear`, as before convolutions existed, so every run folder still reads), any
/// other `<prefix>.<type>.<i>` counted per layer type (`encoder.conv.0`, `encoder.dense.1`).
public struct Network<Scalar: TensorScalar>: Layer {
    public enum Step: Sendable {
        case layer(name: String, layer: any Layer<Scalar>)
        /// The same values viewed with another layout.
        case reshape(Layout)
        /// The side inputs are appended here, in order.
        case join
    }

    public let steps: [Step]
    public let inputLayout: Layout
    public let sideWidth: Int
    public let outputLayout: Layout

    /// Builds `plan`, drawing the parameters from `generator` in layer order, as PyTorch initialises each layer.
    public init(_ plan: NetworkPlan, generator: inout RandomGenerator) {
        steps = plan.steps.map { step -> Step in
            switch step {
            case .layer(let name, let specification, let input, _, let activation):
                return .layer(name: name, layer: specification.build(input: input, activation: activation, generator: &generator))
            case .reshape(let layout): return .reshape(layout)
            case .join: return .join
            }
        }
        inputLayout = plan.input
        sideWidth = plan.sideWidth
        outputLayout = plan.output
    }

    /// The network on `x` with `sides` (each rows × its width, `sideWidth` in all) joined at the join point.
    public func callAsFunction(_ x: Graph<Scalar>.Variable, joining sides: [Graph<Scalar>.Variable], in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        var h = x
        for step in steps {
            switch step {
            case .layer(_, let layer): h = layer(h, in: graph)
            case .reshape(let layout): h = graph.reshape(h, to: layout)
            case .join: for side in sides { h = graph.concatenateColumns(h, side) }
            }
        }
        return h
    }

    public func callAsFunction(_ x: Graph<Scalar>.Variable, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable { self(x, joining: [], in: graph) }

    public func parameters(prefix: String) -> [Parameter<Scalar>] {
        steps.flatMap { step -> [Parameter<Scalar>] in
            if case .layer(let name, let layer) = step { return layer.parameters(prefix: "\(prefix).\(name)") }
            return []
        }
    }

    /// Values the first layer reads per example (the input and the side inputs, for an MLP).
    public var inputs: Int { layers.first?.inputLayout.count ?? inputLayout.count + sideWidth }
    /// Values per example it gives.
    public var outputs: Int { outputLayout.count }

    /// The layers, in order.
    public var layers: [any Layer<Scalar>] {
        steps.compactMap { if case .layer(_, let layer) = $0 { layer } else { nil } }
    }

    public var multiplyAddsPerExample: Int { layers.reduce(0) { $0 + $1.multiplyAddsPerExample } }
    public var activationValuesPerExample: Int { layers.reduce(0) { $0 + $1.activationValuesPerExample } + sideWidth }
    /// The first layer's multiply-adds (it needs no input gradient when it reads the data).
    public var inputLayerMultiplyAdds: Int { layers.first?.multiplyAddsPerExample ?? 0 }

    /// `conv 1×64×64 → 32×32×32 …, dense 1024 → 256, dense 256 → 20`.
    public var summary: String {
        layers.map { layer in
            if let conv = layer as? Conv2d<Scalar> { return "conv \(conv.geometry.inputLayout) → \(conv.geometry.outputLayout)" }
            if let conv = layer as? ConvTranspose2d<Scalar> { return "conv_transpose \(conv.geometry.inputLayout) → \(conv.geometry.outputLayout)" }
            return "dense \(layer.inputLayout.count) → \(layer.outputLayout.count)"
        }.joined(separator: ", ")
    }
}
