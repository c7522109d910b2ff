import Data
import Foundation
import JSONConfig
import Layers
import Models
import RunLog
import Tensors

/// A trained model as ONNX graphs (opset 17), one per network a user calls (`LatentVariableModel.callableNetworks`):
/// `encoder` and `decoder`; a hierarchical CVAE's `global_encoder`, `local_encoder`, `local_prior` and `decoder`;
/// a dual VAE's `encoder_a`, `encoder_b` and `decoder`. Written with `ONNXGraph` (our protobuf writer), standard
/// operators only: Gemm for dense layers, Conv and ConvTranspose (pads [top, left, bottom, right]) for
/// convolutions, the activation's operator, Reshape and Concat where the network reshapes and joins.
///
/// Every graph's first dimension is the symbolic `batch`. An example is a row of F features or a C × H × W image
/// (NCHW), in the units training read it: divided by `data.scale`'s divisor, then standardised when
/// `data.standardize` (x′ = (x − μ)/σ); with `fileUnits` the encoder does both itself and reads the file's own
/// values. The divisor and the statistics are in the metadata either way.
///
/// - **Encoders** read `x` (and `z_global`, `y` as the network joins them) and `noise` (ε ~ N(0, I), batch × d;
///   zeros give the posterior's location) and give `mean` and `log_variance` (the encoder's columns) and a code
///   `z`: Euclidean, z = μ + exp(½·log σ²)·ε (Kingma & Welling 2014). On the Poincaré ball of curvature −c
///   (`PoincareGeometry`; Nagano et al. 2019, Mathieu et al. 2019): `mean` is a tangent vector at the origin,
///   `log_variance` is capped at 2·log(2·artanh(max_radius)/√c), `location` = exp₀(μ) with its norm at most
///   R = max_radius/√c, and z = proj_R(location ⊕ exp₀(½·σ ⊙ ε)), with exp₀(s·v) = tanh(s·√c‖v‖)·v/(√c‖v‖)
///   and Möbius addition x ⊕ y = [(1 + 2c⟨x,y⟩ + c‖y‖²)x + (1 − c‖x‖²)y]/(1 + 2c⟨x,y⟩ + c²‖x‖²‖y‖²),
///   with the clamps of `RadialMap` (norms ≥ 1e-15, tanh inputs ≤ 15, denominators ≥ 1e-15).
///   The local prior of a hierarchical CVAE reads [z_global, y] and gives the conditional prior's `mean`,
///   `log_variance` and `z` the same way.
/// - **Decoders** read `z` (every latent block side by side, in the model's order; a dual VAE multiplies z_B by
///   the run's `B_contribution`) and `y`, and give the likelihood's parameters (`logits`: Bernoulli and
///   categorical; `mean` and, for a Gaussian, `log_variance`), its mean (`probabilities`, or `mean`), and
///   `sample`: what `anneal sample` writes for the code (the mean with the standardisation undone, x = x′·σ + μ,
///   and features constant over the run's data set to their value; for categorical data the most likely class of
///   each group, int32).
public enum ONNXExport {
    /// One network's graph.
    public struct Model: Sendable {
        /// The network's name (`encoder`, `decoder`, …), the file's suffix.
        public var network: String
        public var bytes: [UInt8]
        /// `name [dims]` of each input and output, for the command's summary.
        public var inputs: [String]
        public var outputs: [String]
    }

    static let batch = ONNXGraph.Dimension.symbolic("batch")

    /// Every callable network of `trained` as an ONNX model. Throws, naming the network and the part, when a
    /// layer, activation or geometry has no ONNX form here.
    public static func models(_ trained: TrainedModel, fileUnits: Bool = false) throws(TrainingError) -> [Model] {
        try trained.model.callableNetworks.map { network throws(TrainingError) in try model(network, trained: trained, fileUnits: fileUnits) }
    }

    static func dimensions(_ layout: Layout) -> [ONNXGraph.Dimension] {
        switch layout {
        case .flat(let count): return [batch, .fixed(count)]
        case .image(let channels, let height, let width): return [batch, .fixed(channels), .fixed(height), .fixed(width)]
        }
    }

    /// The layout's shape for one example, with a leading 1 (constants broadcast over the batch).
    static func exampleShape(_ layout: Layout) -> [Int] {
        switch layout {
        case .flat(let count): return [1, count]
        case .image(let channels, let height, let width): return [1, channels, height, width]
        }
    }

    static func describe(_ name: String, _ dimensions: [ONNXGraph.Dimension]) -> String {
        name + " [" + dimensions.map { dimension in
            switch dimension {
            case .fixed(let value): return String(value)
            case .symbolic(let name): return name
            }
        }.joined(separator: ", ") + "]"
    }

    static func model(_ callable: CallableNetwork<Float>, trained: TrainedModel, fileUnits: Bool) throws(TrainingError) -> Model {
        let dataset = trained.dataset
        let dataLayout = dataset.layout
        var graph = ONNXGraph(name: callable.name)
        var inputs: [String] = [], outputs: [String] = []
        func declareInput(_ name: String, _ dimensions: [ONNXGraph.Dimension], _ documentation: String) -> String {
            inputs.append(describe(name, dimensions))
            return graph.input(name, dimensions: dimensions, documentation: documentation)
        }
        func declareOutput(_ value: String, _ name: String, _ dimensions: [ONNXGraph.Dimension], _ documentation: String, type: ONNXGraph.ElementType = .float) {
            outputs.append(describe(name, dimensions))
            graph.output(value, as: name, type, dimensions: dimensions, documentation: documentation)
        }

        var h: String
        switch callable.input {
        case .data:
            let units = fileUnits ? "in the data file's units (the graph divides by data.scale's divisor and standardises)"
                : "as training read it (divided by data.scale's divisor, then standardised when data.standardize)"
            h = declareInput("x", dimensions(dataLayout), "an example \(units): \(dataLayout.count) values, \(dimensions(dataLayout).count == 4 ? "an image channels first (NCHW)" : "a row of features")")
            if fileUnits { h = preprocess(h, dataset: dataset, graph: &graph) }
        case .latent(let name, let width):
            h = declareInput(name, [batch, .fixed(width)], name == "z" ? "the latent code, every block side by side in the model's order" : "the global latent code z_g")
        }
        var sideNames: [String] = []
        for side in callable.sides {
            sideNames.append(declareInput(side.name, [batch, .fixed(side.width)],
                                          side.name == "y" ? "the one-hot class label (\(side.width) classes)" : "the global latent code z_g"))
        }
        if let scaled = callable.scaledColumns, case .latent(_, let width) = callable.input {
            let factor = trained.context(temperature: 0).modelQuantity(scaled.quantity, default: 1)
            if factor != 1 {
                let scales = (0..<width).map { $0 < scaled.start ? Float(1) : Float(factor) }
                h = graph.node("Mul", [h, graph.constant(scales, shape: [1, width], hint: "\(callable.name).input_scale")])
            }
        }
        h = try lower(callable.network, input: h, sides: sideNames, prefix: callable.name, graph: &graph)

        switch callable.role {
        case .encoder(let size, let geometry):
            let noise = declareInput("noise", [batch, .fixed(size)], "ε ~ N(0, I), one row per example: the code z is drawn with it (zeros give the posterior's location)")
            let mean = slice(h, from: 0, to: size, graph: &graph)
            let logVariance = slice(h, from: size, to: 2 * size, graph: &graph)
            let latent: [ONNXGraph.Dimension] = [batch, .fixed(size)]
            if geometry is EuclideanGeometry {
                let sigma = graph.node("Exp", [graph.node("Mul", [logVariance, graph.scalar(0.5)])])
                let z = graph.node("Add", [mean, graph.node("Mul", [noise, sigma])])
                declareOutput(mean, "mean", latent, "μ of the diagonal Gaussian")
                declareOutput(logVariance, "log_variance", latent, "log σ² of the diagonal Gaussian")
                declareOutput(z, "z", latent, "the code μ + exp(½·log σ²)·noise")
            } else if let ball = geometry as? PoincareGeometry {
                let c = ball.curvature
                let capped = graph.node("Min", [logVariance, graph.scalar(Float(ball.maximumLogVariance))])
                let location = expMapZero(mean, curvature: c, tangentScale: 1, maxNorm: ball.maxNorm, graph: &graph)
                let v = graph.node("Mul", [noise, graph.node("Exp", [graph.node("Mul", [capped, graph.scalar(0.5)])])])
                let step = expMapZero(v, curvature: c, tangentScale: 0.5, maxNorm: nil, graph: &graph)
                let z = clip(mobiusAdd(location, step, curvature: c, graph: &graph), maxNorm: ball.maxNorm, graph: &graph)
                declareOutput(mean, "mean", latent, "μ, a tangent vector at the ball's origin")
                declareOutput(capped, "log_variance", latent, "log σ² (capped at 2·log(2·artanh(max_radius)/√c))")
                declareOutput(location, "location", latent, "the posterior's location on the ball, exp₀(μ), its norm at most max_radius/√c")
                declareOutput(z, "z", latent, "the code location ⊕ exp₀(½·σ·noise), its norm at most max_radius/√c")
            } else {
                throw TrainingError("\(callable.name): the \(geometry.name) latent geometry has no ONNX form here")
            }
        case .decoder:
            let outputDimensions = dimensions(dataLayout)
            if callable.network.outputLayout != dataLayout {
                h = graph.node("Reshape", [h, graph.integers([-1] + exampleShape(dataLayout).dropFirst(), hint: "data_shape")])
            }
            let likelihood = trained.configuration.model.likelihood
            let mean: String
            switch likelihood {
            case .bernoulli:
                mean = graph.node("Sigmoid", [h])
                declareOutput(h, "logits", outputDimensions, "the Bernoulli logits, one per feature")
                declareOutput(mean, "probabilities", outputDimensions, "sigmoid(logits), the likelihood's mean")
            case .gaussian(let learned):
                mean = h
                let values = learned ? (trained.model.parameters.first { $0.name == "decoder.log_variance" }?.tensor.tensor.scalars ?? [])
                    : [Float](repeating: 0, count: dataLayout.count)
                guard values.count == dataLayout.count else { throw TrainingError("decoder: the learned log-variance is missing from the checkpoint") }
                let constant = graph.constant(values, shape: exampleShape(dataLayout), hint: "decoder.log_variance")
                declareOutput(h, "mean", outputDimensions, "the Gaussian's mean")
                declareOutput(graph.node("Expand", [constant, graph.node("Shape", [h])]), "log_variance", outputDimensions,
                              learned ? "log σ², one learned value per feature shared by every example" : "log σ² = 0 (unit variance)")
            case .squaredError:
                mean = h
                declareOutput(h, "mean", outputDimensions, "the mean (squared-error likelihood)")
            case .categorical:
                guard case .categorical(let groups, let groupSize) = dataset.kind else { throw TrainingError("decoder: a categorical likelihood on data without category groups") }
                let grouped = graph.node("Softmax", [graph.node("Reshape", [h, graph.integers([-1, groups, groupSize])])], attributes: [("axis", .integer(-1))])
                mean = graph.node("Reshape", [grouped, graph.integers([-1, groups * groupSize])])
                let classes = graph.node("Cast", [graph.node("ArgMax", [grouped], attributes: [("axis", .integer(2)), ("keepdims", .integer(0))])],
                                         attributes: [("to", .integer(ONNXGraph.ElementType.int32.rawValue))])
                declareOutput(h, "logits", outputDimensions, "the logits, \(groups) groups of \(groupSize) classes, group after group")
                declareOutput(mean, "probabilities", outputDimensions, "softmax within each group of \(groupSize)")
                declareOutput(classes, "sample", [batch, .fixed(groups)], "the most likely class of each group, as anneal sample writes it", type: .int32)
            }
            if likelihood != .categorical {
                declareOutput(postprocess(mean, trained: trained, graph: &graph), "sample", outputDimensions,
                              "the likelihood's mean in the data's units, as anneal sample writes it (standardisation undone; data.scale kept)")
            }
        }

        let metadata = self.metadata(callable, trained: trained, fileUnits: fileUnits)
        let documentation = "anneal \(trained.configuration.model.specification.typeName) \(callable.name), from \(trained.checkpointPath). Inputs: \(inputs.joined(separator: "; ")). Outputs: \(outputs.joined(separator: "; "))."
        return Model(network: callable.name, bytes: graph.model(producer: "anneal", producerVersion: "1", documentation: documentation, metadata: metadata),
                     inputs: inputs, outputs: outputs)
    }

    /// The graph of `network`'s steps on `input`, its parameters as initializers named as in checkpoints.
    static func lower(_ network: Network<Float>, input: String, sides: [String], prefix: String, graph: inout ONNXGraph) throws(TrainingError) -> String {
        var h = input
        for step in network.steps {
            switch step {
            case .reshape(let layout):
                h = graph.node("Reshape", [h, graph.integers([-1] + exampleShape(layout).dropFirst(), hint: "shape")])
            case .join:
                if !sides.isEmpty { h = graph.node("Concat", [h] + sides, attributes: [("axis", .integer(1))]) }
            case .layer(let name, let layer):
                let path = prefix + "." + name
                if let dense = layer as? Dense<Float> {
                    h = gemm(h, dense.linear, path: path, graph: &graph)
                    h = try activation(dense.activation, h, path: path, graph: &graph)
                } else if let linear = layer as? Linear<Float> {
                    h = gemm(h, linear, path: path, graph: &graph)
                } else if let conv = layer as? Conv2d<Float> {
                    h = convolution("Conv", h, geometry: conv.geometry, weight: conv.weight, bias: conv.bias, path: path, graph: &graph)
                    h = try activation(conv.activation, h, path: path, graph: &graph)
                } else if let conv = layer as? ConvTranspose2d<Float> {
                    h = convolution("ConvTranspose", h, geometry: conv.geometry, weight: conv.weight, bias: conv.bias, path: path, graph: &graph)
                    h = try activation(conv.activation, h, path: path, graph: &graph)
                } else {
                    throw TrainingError("\(path): the layer \(type(of: layer)) has no ONNX form here (dense, conv and conv_transpose do)")
                }
            }
        }
        return h
    }

    /// y = x·Wᵀ + b: Gemm with transB = 1 on W as stored (out × in, PyTorch's Linear).
    static func gemm(_ x: String, _ linear: Linear<Float>, path: String, graph: inout ONNXGraph) -> String {
        let weight = graph.constant(linear.weight.tensor.scalars, shape: [linear.outputs, linear.inputs], hint: path + ".weight")
        var inputs = [x, weight]
        if let bias = linear.bias { inputs.append(graph.constant(bias.tensor.scalars, shape: [linear.outputs], hint: path + ".bias")) }
        return graph.node("Gemm", inputs, attributes: [("transB", .integer(1))])
    }

    /// Conv (W out × in × kh × kw) or ConvTranspose (W in × out × kh × kw), as PyTorch holds them; ONNX's pads are
    /// [top, left, bottom, right], and a transposed convolution's padding is cut from its output, as ours.
    static func convolution(_ operation: String, _ x: String, geometry g: ConvolutionGeometry, weight: ParameterTensor<Float>, bias: ParameterTensor<Float>,
                            path: String, graph: inout ONNXGraph) -> String {
        let shape = g.transposed ? [g.inputChannels, g.outputChannels, g.kernelHeight, g.kernelWidth] : [g.outputChannels, g.inputChannels, g.kernelHeight, g.kernelWidth]
        let w = graph.constant(weight.tensor.scalars, shape: shape, hint: path + ".weight")
        let b = graph.constant(bias.tensor.scalars, shape: [g.outputChannels], hint: path + ".bias")
        return graph.node(operation, [x, w, b], attributes: [
            ("kernel_shape", .integers([g.kernelHeight, g.kernelWidth])), ("strides", .integers([g.strideHeight, g.strideWidth])),
            ("pads", .integers([g.paddingTop, g.paddingLeft, g.paddingBottom, g.paddingRight])),
        ])
    }

    /// The activation's ONNX operator (leaky ReLU's slope and ELU's α as attributes).
    static func activation(_ operation: UnaryOperation?, _ x: String, path: String, graph: inout ONNXGraph) throws(TrainingError) -> String {
        guard let operation else { return x }
        switch operation {
        case .relu: return graph.node("Relu", [x])
        case .leakyRelu(let slope): return graph.node("LeakyRelu", [x], attributes: [("alpha", .float(Float(slope)))])
        case .elu(let alpha): return graph.node("Elu", [x], attributes: [("alpha", .float(Float(alpha)))])
        case .tanh: return graph.node("Tanh", [x])
        case .sigmoid: return graph.node("Sigmoid", [x])
        case .softplus: return graph.node("Softplus", [x])
        default: throw TrainingError("\(path): the activation \(operation) has no ONNX form here")
        }
    }

    /// Columns [from, to) of a batch × n matrix.
    static func slice(_ x: String, from start: Int, to end: Int, graph: inout ONNXGraph) -> String {
        graph.node("Slice", [x, graph.integers([start], hint: "starts"), graph.integers([end], hint: "ends"), graph.integers([1], hint: "axes")])
    }

    /// Σⱼ aⱼ·bⱼ of each row, batch × 1.
    static func rowDot(_ a: String, _ b: String, graph: inout ONNXGraph) -> String {
        graph.node("ReduceSum", [graph.node("Mul", [a, b]), graph.integers([1], hint: "axes")], attributes: [("keepdims", .integer(1))])
    }

    /// max(‖x‖, 1e-15) of each row, batch × 1 (`RadialMap.minimumNorm`).
    static func rowNorm(_ x: String, graph: inout ONNXGraph) -> String {
        graph.node("Max", [graph.node("Sqrt", [rowDot(x, x, graph: &graph)]), graph.scalar(1e-15)])
    }

    /// exp₀(s·x) = tanh(s·√c‖x‖)·x/(√c‖x‖), the tanh input at most 15 and the result's norm at most `maxNorm`
    /// (`RadialMap.expMapZero`).
    static func expMapZero(_ x: String, curvature c: Double, tangentScale s: Double, maxNorm: Double?, graph: inout ONNXGraph) -> String {
        let k = c.squareRoot()
        let norm = rowNorm(x, graph: &graph)
        var t = graph.node("Tanh", [graph.node("Min", [graph.node("Mul", [norm, graph.scalar(Float(s * k))]), graph.scalar(15)])])
        if let maxNorm { t = graph.node("Min", [t, graph.scalar(Float(k * maxNorm))]) }
        let scale = graph.node("Div", [t, graph.node("Mul", [norm, graph.scalar(Float(k))])])
        return graph.node("Mul", [x, scale])
    }

    /// Möbius addition on the ball of curvature −c, the denominator at least 1e-15 (`Graph.mobiusAdd`).
    static func mobiusAdd(_ x: String, _ y: String, curvature c: Double, graph: inout ONNXGraph) -> String {
        let xy = rowDot(x, y, graph: &graph), xx = rowDot(x, x, graph: &graph), yy = rowDot(y, y, graph: &graph)
        let twoCxy = graph.node("Mul", [xy, graph.scalar(Float(2 * c))])
        let one = graph.scalar(1)
        let alpha = graph.node("Add", [graph.node("Add", [one, twoCxy]), graph.node("Mul", [yy, graph.scalar(Float(c))])])
        let beta = graph.node("Sub", [one, graph.node("Mul", [xx, graph.scalar(Float(c))])])
        let product = graph.node("Mul", [graph.node("Mul", [xx, yy]), graph.scalar(Float(c * c))])
        let denominator = graph.node("Max", [graph.node("Add", [graph.node("Add", [one, twoCxy]), product]), graph.scalar(1e-15)])
        let numerator = graph.node("Add", [graph.node("Mul", [alpha, x]), graph.node("Mul", [beta, y])])
        return graph.node("Div", [numerator, denominator])
    }

    /// Each row scaled back onto the ball of radius R: x·min(1, R/‖x‖) (`RadialMap.clipNorm`).
    static func clip(_ x: String, maxNorm: Double, graph: inout ONNXGraph) -> String {
        let ratio = graph.node("Div", [graph.scalar(Float(maxNorm)), rowNorm(x, graph: &graph)])
        return graph.node("Mul", [x, graph.node("Min", [graph.scalar(1), ratio])])
    }

    /// The file's values as training read them: x/divisor, then (x − μ)/σ.
    static func preprocess(_ x: String, dataset: Dataset, graph: inout ONNXGraph) -> String {
        var h = x
        if let divisor = dataset.scaleDivisor, divisor != 1 { h = graph.node("Div", [h, graph.scalar(divisor, hint: "data.scale_divisor")]) }
        if let statistics = dataset.standardization {
            let shape = exampleShape(dataset.layout)
            h = graph.node("Sub", [h, graph.constant(statistics.mean, shape: shape, hint: FeatureStandardization.meanTensorName)])
            h = graph.node("Div", [h, graph.constant(statistics.standardDeviation, shape: shape, hint: FeatureStandardization.standardDeviationTensorName)])
        }
        return h
    }

    /// The likelihood's mean as `anneal sample` writes it: x′·σ + μ, then every constant feature set to its value
    /// (x·(1 − m) + m·v with the 0/1 mask m, exact for finite x).
    static func postprocess(_ mean: String, trained: TrainedModel, graph: inout ONNXGraph) -> String {
        var h = mean
        let layout = trained.dataset.layout, shape = exampleShape(layout)
        if let statistics = trained.dataset.standardization {
            h = graph.node("Mul", [h, graph.constant(statistics.standardDeviation, shape: shape, hint: FeatureStandardization.standardDeviationTensorName)])
            h = graph.node("Add", [h, graph.constant(statistics.mean, shape: shape, hint: FeatureStandardization.meanTensorName)])
        }
        let constants = (trained.checkpoint.state.dataDescription?.constantFeatures ?? []).filter { $0.index < layout.count }
        if !constants.isEmpty {
            var keep = [Float](repeating: 1, count: layout.count), values = [Float](repeating: 0, count: layout.count)
            for constant in constants {
                keep[constant.index] = 0
                values[constant.index] = constant.value
            }
            h = graph.node("Add", [graph.node("Mul", [h, graph.constant(keep, shape: shape, hint: "constant_features.keep")]),
                                   graph.constant(values, shape: shape, hint: "constant_features.value")])
        }
        return h
    }

    /// The model's metadata_props: the run's config, the network, the units, the latent geometry.
    static func metadata(_ callable: CallableNetwork<Float>, trained: TrainedModel, fileUnits: Bool) -> [(String, String)] {
        func list(_ values: [Float]) -> String { "[" + values.map { "\($0)" }.joined(separator: ", ") + "]" }
        var result: [(String, String)] = [
            ("anneal.network", callable.name),
            ("anneal.model_type", trained.configuration.model.specification.typeName),
            ("anneal.likelihood", trained.configuration.model.likelihood.name),
            ("anneal.input_units", callable.input == .data ? (fileUnits ? "file" : "training") : "latent"),
            ("data.scale_divisor", "\(trained.dataset.scaleDivisor ?? 1)"),
        ]
        if let statistics = trained.dataset.standardization {
            result.append((FeatureStandardization.meanTensorName, list(statistics.mean)))
            result.append((FeatureStandardization.standardDeviationTensorName, list(statistics.standardDeviation)))
        }
        if case .encoder(let size, let geometry) = callable.role {
            result.append(("anneal.latent_size", "\(size)"))
            result.append(("anneal.latent_geometry", geometry.name))
            if let ball = geometry as? PoincareGeometry {
                result.append(("anneal.curvature", "\(ball.curvature)"))
                result.append(("anneal.max_radius", "\(ball.maxRadius)"))
            }
        }
        if let scaled = callable.scaledColumns {
            result.append(("anneal.B_contribution", "\(trained.context(temperature: 0).modelQuantity(scaled.quantity, default: 1))"))
        }
        result.append(("anneal.config", JSONWriter.pretty(trained.configuration.json)))
        return result
    }
}
