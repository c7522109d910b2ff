import ArgumentParser
import Foundation
import RunLog
import Training

/// `anneal export`: a trained model's parameters as safetensors or npz, for PyTorch, JAX or NumPy, or its networks
/// as ONNX models, one file per network.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a trained model's parameters as safetensors or npz, with its config, or its networks as ONNX models.",
        discussion: """
            RUN is a run folder (checkpoints/best.ckpt, or last.ckpt with --checkpoint last) or a .ckpt file. \
            Each MLP layer is <network>.layers.<i>.weight, shape (out, in), and .bias, shape (out,): the weight \
            and bias of torch.nn.Linear(in, out), with model.activation between layers and none after the last. \
            The config is in the safetensors metadata ("config") or the npz member config_json (UTF-8 bytes). \
            --format onnx writes one ONNX model (opset 17) per network, FILE.<network>.onnx (encoder, decoder; \
            global_encoder, local_encoder, local_prior; encoder_a, encoder_b): encoders read x (and y, the one-hot \
            label) and noise and give mean, log_variance and a code z; decoders read z (and y) and give the \
            likelihood's parameters, its mean and the sample anneal sample writes (README: anneal export). \
            A per-class or per-group run exports every generator, each under its own name \
            (FILE.<generator>.<format>, or FILE.<generator>.<network>.onnx).
            """
    )

    @Argument(help: ArgumentHelp("A run folder or a checkpoint file.", valueName: "run"))
    var target: String

    @Option(name: .long, help: "safetensors, npz or onnx.")
    var format: ModelExport.Format = .safetensors

    @Option(name: .long, help: "Which checkpoint of a run folder: best or last.")
    var checkpoint: CheckpointChoiceArgument = .init(.best)

    @Option(name: .long, help: ArgumentHelp("The file to write (default: RUN/export/model.<format>, or beside the checkpoint; missing folders are created; - for standard output). With --format onnx, FILE.onnx names the files FILE.<network>.onnx.", valueName: "file"))
    var output: String?

    @Flag(name: .long, help: "--format onnx: the encoders read x in the data file's units and divide by data.scale's divisor and standardise it themselves (default: x as training read it).")
    var fileUnits = false

    func validate() throws {
        if format == .onnx, let output, OutputFile.isStandardOutput(output) || AtomicFile.isSpecialFile(output) {
            throw ValidationError("--output \(output): --format onnx writes one file per network (FILE.<network>.onnx); give a path ending in .onnx")
        }
        // Standard output and an existing device or pipe (/dev/null) take the bytes whatever their name.
        if let output, !OutputFile.isStandardOutput(output), !AtomicFile.isSpecialFile(output), !output.hasSuffix("." + format.fileExtension) {
            throw ValidationError("--output must end in .\(format.fileExtension) for --format \(format.rawValue), got \(output)")
        }
        if fileUnits && format != .onnx {
            throw ValidationError("--file-units chooses the units an ONNX encoder reads; it needs --format onnx (safetensors and npz hold the statistics as tensors)")
        }
    }

    /// One file to write: its path, its bytes and the line that describes it.
    struct Item {
        var path: String
        var data: Data
        var summary: String
    }

    func run() throws {
        let isSet = GeneratorSet.holdsSet(target)
        var isDirectory: ObjCBool = false
        let targetIsFolder = FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory) && isDirectory.boolValue
        // The models, loaded and encoded in memory before any file is written.
        var models: [(generator: String?, trained: TrainedModel)] = []
        if isSet {
            let members: [GeneratorSet.Member]
            do { members = try GeneratorSet.members(ofSet: target) } catch { throw CommandFailure(error.description) }
            if let output, OutputFile.isStandardOutput(output) || AtomicFile.isSpecialFile(output) {
                throw CommandFailure("--output \(output): \(target) holds \(members.count) generators (per class or per group), one file each; give a path ending in .\(format.fileExtension)")
            }
            for member in members {
                do { models.append((member.name, try TrainedModel.load(member.directory, choice: checkpoint.value, needsExamples: false))) } catch {
                    throw CommandFailure("generator \(member.name): \(error.description)")
                }
            }
        } else {
            do { models.append((nil, try TrainedModel.load(target, choice: checkpoint.value, needsExamples: false))) } catch { throw CommandFailure(error.description) }
        }
        for (name, model) in models { for note in model.notes { StandardError.print("note: \(name.map { "generator \($0): " } ?? "")\(note)") } }

        // FILE without its extension: --output's, or RUN/export/model, or the checkpoint's name beside it.
        let stem: String
        if let output {
            stem = output.hasSuffix("." + format.fileExtension) ? String(output.dropLast(format.fileExtension.count + 1)) : output
        } else if targetIsFolder {
            stem = target + "/export/model"
        } else {
            stem = URL(fileURLWithPath: target).deletingPathExtension().path
        }
        func path(generator: String?, network: String?) -> String {
            if let output, generator == nil, network == nil { return output }
            return stem + (generator.map { "." + $0 } ?? "") + (network.map { "." + $0 } ?? "") + "." + format.fileExtension
        }

        var items: [Item] = []
        for (generator, trained) in models {
            let label = generator.map { "generator \($0): " } ?? ""
            if format == .onnx {
                let graphs: [ONNXExport.Model]
                do { graphs = try ONNXExport.models(trained, fileUnits: fileUnits) } catch {
                    throw CommandFailure("\(label)cannot export the \(trained.configuration.model.specification.typeName) model to ONNX: \(error.description)")
                }
                for graph in graphs {
                    items.append(Item(path: path(generator: generator, network: graph.network), data: Data(graph.bytes),
                                      summary: "\(label)\(graph.network) (\(graph.inputs.joined(separator: ", ")) → \(graph.outputs.joined(separator: ", ")))"))
                }
            } else {
                let data: Data
                do { data = try ModelExport.data(trained, format: format) } catch { throw CommandFailure(label + error.description) }
                let count = trained.model.parameters.reduce(0) { $0 + $1.tensor.count }
                let statistics = trained.dataset.standardization == nil ? "" : " and the 2 standardisation statistics (data.standardize.mean, data.standardize.standard_deviation)"
                items.append(Item(path: path(generator: generator, network: nil), data: data,
                                  summary: "\(label)\(trained.model.parameters.count) parameter tensors (\(count) parameters)\(statistics), from \(trained.checkpointPath)"))
            }
        }

        // Every destination checked before the first is written: a folder is never replaced.
        for item in items where !OutputFile.isStandardOutput(item.path) {
            var folder: ObjCBool = false
            if FileManager.default.fileExists(atPath: item.path, isDirectory: &folder), folder.boolValue {
                throw CommandFailure("\(item.path): it is a folder; the \(format.rawValue) export is a file (give --output a file path ending in .\(format.fileExtension))")
            }
        }
        var created: [String] = []
        for item in items {
            let existed = FileManager.default.fileExists(atPath: item.path)
            do { try OutputFile.write(item.data, to: item.path) } catch {
                // The files this export created are taken back, so a failed export leaves none of its own behind.
                for path in created { try? FileManager.default.removeItem(atPath: path) }
                throw CommandFailure(error.description)
            }
            if !existed && !OutputFile.isStandardOutput(item.path) { created.append(item.path) }
            // With the archive on standard output, the line that describes it goes to standard error.
            let line = "wrote \(OutputFile.isStandardOutput(item.path) ? "the archive to standard output" : item.path): \(item.summary)"
            if OutputFile.isStandardOutput(item.path) { StandardError.print(line) } else { print(line) }
        }
    }
}

/// `--format safetensors|npz|onnx`, read by its raw value.
extension ModelExport.Format: ExpressibleByArgument {}
