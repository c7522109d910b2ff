import Foundation
import JSONConfig
import Models
import RunLog

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
        let parameters = trained.model.parameters.map { parameter in
            let tensor = parameter.tensor
            let shape = parameter.name.hasSuffix(".bias") && tensor.rows == 1 ? [tensor.columns] : [tensor.rows, tensor.columns]
            return SafetensorsWriter.Entry(name: parameter.name, shape: shape, values: tensor.tensor.scalars)
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
                return SafetensorsWriter.data(entries, metadata: [("config", config), ("format", "pt"), ("exported_by", "anneal")])
            case .npz:
                return try NPZWriter.data(entries.map { ($0.name, .float32($0.values, shape: $0.shape)) } + [("config_json", .bytes(Array(config.utf8)))])
            case .onnx:
                throw TrainingError("--format onnx writes one model per network (ONNXExport), not one archive")
            }
        } catch let error as TrainingError {
            throw error
        } catch {
            throw TrainingError("could not build the \(format.rawValue) archive: \(error)")
        }
    }

    /// Writes `trained` to `path` in `format` (`-`: standard output).
    public static func write(_ trained: TrainedModel, format: Format, to path: String) throws(TrainingError) {
        let data = try data(trained, format: format)
        // `-` is standard output; a device or pipe is written through, a regular file replaced atomically.
        do { try OutputFile.write(data, to: path) } catch { throw TrainingError(error.description) }
    }
}
