import ArgumentParser
import Foundation
import RunLog
import Training

/// `anneal export`: a trained model's parameters as safetensors or npz, for PyTorch, JAX or NumPy.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a trained model's parameters as safetensors or npz, with its config.",
        discussion: """
            RUN is a run folder (checkpoints/best.ckpt, or last.ckpt with --checkpoint last) or a .ckpt file. \
            Each MLP layer is <network>.layers.<i>.weight, shape (out, in), and .bias, shape (out,): the weight \
            and bias of torch.nn.Linear(in, out), with model.activation between layers and none after the last. \
            The config is in the safetensors metadata ("config") or the npz member config_json (UTF-8 bytes). \
            A per-class or per-group run exports one file per generator: give the generator's folder \
            (RUN/generators/<name>).
            """
    )

    @Argument(help: ArgumentHelp("A run folder or a checkpoint file.", valueName: "run"))
    var target: String

    @Option(name: .long, help: "safetensors or npz.")
    var format: ModelExport.Format = .safetensors

    @Option(name: .long, help: "Which checkpoint of a run folder: best or last.")
    var checkpoint: CheckpointChoiceArgument = .init(.best)

    @Option(name: .long, help: ArgumentHelp("The file to write (default: RUN/export/model.<format>, or beside the checkpoint; missing folders are created; - for standard output).", valueName: "file"))
    var output: String?

    func validate() throws {
        // Standard output and an existing device or pipe (/dev/null) take the bytes whatever their name.
        if let output, !OutputFile.isStandardOutput(output), !AtomicFile.isSpecialFile(output), !output.hasSuffix("." + format.fileExtension) {
            throw ValidationError("--output must end in .\(format.fileExtension) for --format \(format.rawValue), got \(output)")
        }
    }

    func run() throws {
        if GeneratorSet.holdsSet(target) {
            throw CommandFailure("\(target) holds several generators (per class or per group): export each one, e.g. anneal export \(target)/generators/<name>")
        }
        let trained: TrainedModel
        do { trained = try TrainedModel.load(target, choice: checkpoint.value, needsExamples: false) } catch { throw CommandFailure(error.description) }
        let path: String
        if let output {
            path = output
        } else {
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory)
            let folder = isDirectory.boolValue ? target + "/export" : URL(fileURLWithPath: target).deletingLastPathComponent().path
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw CommandFailure("cannot create \(folder): \(error.localizedDescription)")
            }
            path = folder + "/" + (isDirectory.boolValue ? "model" : URL(fileURLWithPath: target).deletingPathExtension().lastPathComponent) + "." + format.fileExtension
        }
        do { try ModelExport.write(trained, format: format, to: path) } catch { throw CommandFailure(error.description) }
        let count = trained.model.parameters.reduce(0) { $0 + $1.tensor.count }
        let statistics = trained.dataset.standardization == nil ? "" : " and the 2 standardisation statistics (data.standardize.mean, data.standardize.standard_deviation)"
        // With the archive on standard output, the line that describes it goes to standard error.
        let line = "wrote \(OutputFile.isStandardOutput(path) ? "the archive to standard output" : path): \(trained.model.parameters.count) parameter tensors (\(count) parameters)\(statistics), from \(trained.checkpointPath)"
        if OutputFile.isStandardOutput(path) { StandardError.print(line) } else { print(line) }
    }
}

/// `--format safetensors|npz`, read by its raw value.
extension ModelExport.Format: ExpressibleByArgument {}
