import Foundation
import JSONConfig
import Layers
import Models
import RunLog
import Tensors

/// A trained model's parameters for other frameworks: `safetensors` (PyTorch, JAX via the `safetensors`
/// package) or NumPy's `npz`, with the run's config.
///
/// Names are anneal's own parameter names. Every MLP is `<network>.layers.<i>` with `.weight` of shape
/// (out, in) and `.bias` of shape (out,), exactly `torch.nn.Linear(in, out)`'s `weight` and `bias`, so
/// `nn.Linear.load_state_dict({"weight": w, "bias": b})` takes them as they are; the network applies
/// `model.activation` between layers and none after the last. Other parameters (a learned Gaussian
/// variance) keep their (rows, columns) shape. The resolved config travels with the tensors: safetensors'
/// `__metadata__["config"]`, or the npz member `config_json` (uint8 bytes of UTF-8 JSON:
/// `bytes(np.load(f)["config_json"]).decode()`).
public enum ModelExport {
    public enum Format: String, CaseIterable, Sendable {
        case safetensors
        case npz
        /// One ONNX model per network (`ONNXExport`), not an archive of tensors.
        case onnx

        public var fileExtension: String { rawValue }
    }

    /// The model's tensors as exported: name, shape, values.
    /// A run that standardised its data (`data.standardize`) adds `data.standardize.mean` and
    /// `data.standardize.standard_deviation`, shape (features,): the decoder's output x′ is in standardised units,
    /// x = x′·σ + μ.
    public static func tensors(_ trained: TrainedModel) -> [SafetensorsWriter.Entry] {
        // Each in PyTorch's shape (`Parameter.shape`): a convolution's weight (out, in, kh, kw), not its matrix view.
        let parameters = trained.model.parameters.map { parameter in
            SafetensorsWriter.Entry(name: parameter.name, shape: parameter.shape, values: parameter.tensor.tensor.scalars)
        }
        let statistics = (trained.dataset.standardization?.tensorEntries ?? []).map { SafetensorsWriter.Entry(name: $0.name, shape: [$0.values.count], values: $0.values) }
        return parameters + statistics
    }

    /// The archive of `trained` in `format` (safetensors or npz; ONNX graphs are `ONNXExport.models`).
    public static func data(_ trained: TrainedModel, format: Format) throws(TrainingError) -> Data {
        let entries = tensors(trained)
        let config = JSONWriter.pretty(trained.configuration.json)
        do {
            switch format {
            case .safetensors:
                return SafetensorsWriter.data(entries, metadata: [("config", config), ("networks", JSONWriter.compact(networks(trained))), ("format", "pt"), ("exported_by", "anneal")])
            case .npz:
                return try NPZWriter.data(entries.map { ($0.name, .float32($0.values, shape: $0.shape)) } + [("config_json", .bytes(Array(config.utf8))),
                                                                                                            ("networks_json", .bytes(Array(JSONWriter.compact(networks(trained)).utf8)))])
            case .onnx:
                throw TrainingError("--format onnx writes one model per network (ONNXExport), not one archive")
            }
        } catch let error as TrainingError {
            throw error
        } catch {
            throw TrainingError("could not build the \(format.rawValue) archive: \(error)")
        }
    }

    /// Every network a user calls, described so that a reader can rebuild it from the tensors alone
    /// (`scripts/load_in_pytorch.py` does): `{"likelihood", "data": {"layout": [C, H, W] or [F], "category_group_size"},
    /// "networks": [{"name", "role": "encoder"|"decoder", "input": {"name", "shape"}, "sides": [{"name", "width"}],
    /// "latent_size", "geometry": {"name", "curvature", "max_radius", "max_log_variance"}, "scaled_columns":
    /// {"start", "factor"}, "steps": [...]}]}`. Steps are `{"op": "dense"|"conv"|"conv_transpose", "parameters":
    /// prefix of .weight/.bias, "activation": relu|leaky_relu|elu|tanh|sigmoid|softplus|null, "slope"/"alpha",
    /// "kernel", "stride", "padding": [top, bottom, left, right]}`, `{"op": "reshape", "shape"}` and `{"op": "join"}`
    /// (the side inputs appended, in order).
    public static func networks(_ trained: TrainedModel) -> JSONValue {
        func shape(_ layout: Layout) -> JSONValue {
            switch layout {
            case .flat(let count): return .array([.number(count)])
            case .image(let c, let h, let w): return .array([.number(c), .number(h), .number(w)])
            }
        }
        func activation(_ operation: UnaryOperation?) -> [(String, JSONValue)] {
            switch operation {
            case nil: return [("activation", .null)]
            case .relu?: return [("activation", .string("relu"))]
            case .leakyRelu(let slope)?: return [("activation", .string("leaky_relu")), ("slope", .number(slope))]
            case .elu(let alpha)?: return [("activation", .string("elu")), ("alpha", .number(alpha))]
            case .tanh?: return [("activation", .string("tanh"))]
            case .sigmoid?: return [("activation", .string("sigmoid"))]
            case .softplus?: return [("activation", .string("softplus"))]
            case let other?: return [("activation", .string("\(other)"))]
            }
        }
        func convolution(_ op: String, _ g: ConvolutionGeometry, _ path: String, _ operation: UnaryOperation?) -> JSONValue {
            .object([("op", .string(op)), ("parameters", .string(path)), ("kernel", .array([.number(g.kernelHeight), .number(g.kernelWidth)])),
                     ("stride", .array([.number(g.strideHeight), .number(g.strideWidth)])),
                     ("padding", .array([g.paddingTop, g.paddingBottom, g.paddingLeft, g.paddingRight].map { .number($0) }))] + activation(operation))
        }
        let context = trained.context(temperature: 0)
        let networks: [JSONValue] = trained.model.callableNetworks.map { callable in
            let steps: [JSONValue] = callable.network.steps.map { step in
                switch step {
                case .reshape(let layout): return .object([("op", .string("reshape")), ("shape", shape(layout))])
                case .join: return .object([("op", .string("join"))])
                case .layer(let name, let layer):
                    let path = callable.name + "." + name
                    if let dense = layer as? Dense<Float> { return .object([("op", .string("dense")), ("parameters", .string(path))] + activation(dense.activation)) }
                    if let conv = layer as? Conv2d<Float> { return convolution("conv", conv.geometry, path, conv.activation) }
                    if let conv = layer as? ConvTranspose2d<Float> { return convolution("conv_transpose", conv.geometry, path, conv.activation) }
                    return .object([("op", .string("\(type(of: layer))")), ("parameters", .string(path))])
                }
            }
            var members: [(String, JSONValue)] = [("name", .string(callable.name))]
            switch callable.input {
            case .data: members.append(("input", .object([("name", .string("x")), ("shape", shape(trained.dataset.layout))])))
            case .latent(let name, let width): members.append(("input", .object([("name", .string(name)), ("shape", .array([.number(width)]))])))
            }
            members.append(("sides", .array(callable.sides.map { .object([("name", .string($0.name)), ("width", .number($0.width))]) })))
            switch callable.role {
            case .encoder(let size, let geometry):
                members.append(("role", .string("encoder")))
                members.append(("latent_size", .number(size)))
                var geometryMembers: [(String, JSONValue)] = [("name", .string(geometry.name))]
                if let ball = geometry as? PoincareGeometry {
                    geometryMembers += [("curvature", .number(ball.curvature)), ("max_radius", .number(ball.maxRadius)), ("max_log_variance", .number(ball.maximumLogVariance))]
                }
                members.append(("geometry", .object(geometryMembers)))
            case .decoder:
                members.append(("role", .string("decoder")))
            }
            if let scaled = callable.scaledColumns {
                members.append(("scaled_columns", .object([("start", .number(scaled.start)), ("factor", .number(context.modelQuantity(scaled.quantity, default: 1)))])))
            }
            members.append(("steps", .array(steps)))
            return .object(members)
        }
        var data: [(String, JSONValue)] = [("layout", shape(trained.dataset.layout))]
        if case .categorical(_, let groupSize) = trained.dataset.kind { data.append(("category_group_size", .number(groupSize))) }
        let constants = trained.checkpoint.state.dataDescription?.constantFeatures ?? []
        data.append(("constant_features", .array(constants.map { .object([("index", .number($0.index)), ("value", .number(Double($0.value)))]) })))
        return .object([("likelihood", .string(trained.configuration.model.likelihood.name)), ("data", .object(data)), ("networks", .array(networks))])
    }

    /// Writes `trained` to `path` in `format` (`-`: standard output).
    public static func write(_ trained: TrainedModel, format: Format, to path: String) throws(TrainingError) {
        let data = try data(trained, format: format)
        // `-` is standard output; a device or pipe is written through, a regular file replaced atomically.
        do { try OutputFile.write(data, to: path) } catch { throw TrainingError(error.description) }
    }
}
