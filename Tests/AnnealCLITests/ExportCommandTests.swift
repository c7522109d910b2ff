import Foundation
import Models
import RunLog
import Tensors
import Testing
import Training

/// A Python with safetensors and NumPy, to read the exports as a PyTorch or NumPy user would.
let safetensorsPython = python(with: ["safetensors", "numpy"])

@Suite("anneal export")
struct ExportCommandTests {
    /// Rebuilds the decoder in NumPy from the exported file alone (names and shapes as documented:
    /// `decoder.layers.<i>.weight` (out, in), `.bias` (out,), the config's activation between layers) and
    /// compares its output on a fixed latent batch with anneal's.
    static let script = #"""
        import json, sys, numpy as np
        path, latents, expected = sys.argv[1], np.load(sys.argv[2]), np.load(sys.argv[3])
        if path.endswith(".safetensors"):
            from safetensors.numpy import load_file
            from safetensors import safe_open
            tensors = load_file(path)
            with safe_open(path, "np") as f: config = json.loads(f.metadata()["config"])
        else:
            archive = np.load(path)
            tensors = {k: archive[k] for k in archive.files if k != "config_json"}
            config = json.loads(bytes(archive["config_json"]).decode())
        activation = {"tanh": np.tanh, "relu": lambda x: np.maximum(x, 0)}[config["model"].get("activation", "relu")]
        layers = sorted({int(k.split(".")[2]) for k in tensors if k.startswith("decoder.layers.")})
        h = latents.astype(np.float64)
        for i in layers:
            w, b = tensors[f"decoder.layers.{i}.weight"], tensors[f"decoder.layers.{i}.bias"]
            assert w.dtype == np.float32 and b.shape == (w.shape[0],), (w.dtype, b.shape, w.shape)
            h = h @ w.T.astype(np.float64) + b
            if i != layers[-1]: h = activation(h)
        error = float(np.max(np.abs(h - expected)))
        print(f"max abs difference {error:.3g}")
        sys.exit(0 if error <= 1e-5 else 1)
        """#

    @Test("safetensors and npz: a NumPy decoder built from the file reproduces anneal's decoder within 1e-5",
          .enabled(if: safetensorsPython != nil, "needs a Python with safetensors and numpy: .ci/run installs them"))
    func reproducesDecoder() throws {
        let config = try AnnealProcess.writeConfig(#"""
            {"data": {"source": "shapes", "validation_fraction": 0.2},
             "model": {"type": "vae", "hidden_sizes": [32, 16], "latent_dim": 3, "activation": "tanh"},
             "training": {"num_epochs": 1, "batch_size": 256, "learning_rate": 0.003}}
            """#)
        let folder = config.deletingLastPathComponent()
        let run = folder.appendingPathComponent("run").path
        #expect(try AnnealProcess.run(["train", "--config", config.path, "--out", run]).status == 0)

        // anneal's decoder on a fixed latent batch.
        let trained = try TrainedModel.load(run)
        let latents: [Float] = (0..<15).map { Float($0 % 7) / 3 - 1 }
        let graph = Graph<Float>()
        let output = graph.value(trained.model.decode(graph.constant(Tensor(rows: 5, columns: 3, scalars: latents)), conditions: nil, context: ForwardContext(), in: graph))
        let latentsPath = folder.appendingPathComponent("z.npy").path, expectedPath = folder.appendingPathComponent("expected.npy").path
        try NPYWriter.write(latents, shape: [5, 3], to: latentsPath)
        try NPYWriter.write(Array(output), shape: [5, output.count / 5], to: expectedPath)
        let scriptPath = folder.appendingPathComponent("check.py").path
        try Self.script.write(toFile: scriptPath, atomically: true, encoding: .utf8)

        for format in ["safetensors", "npz"] {
            let export = try AnnealProcess.run(["export", run, "--format", format])
            #expect(export.status == 0, "\(export.standardError)")
            let file = run + "/export/model." + format
            #expect(export.standardOutput.hasPrefix("wrote \(file): 12 parameter tensors ("))
            let check = try AnnealProcess.run(executable: URL(fileURLWithPath: safetensorsPython!), [scriptPath, file, latentsPath, expectedPath])
            #expect(check.status == 0, "\(format): \(check.standardOutput) \(check.standardError)")
        }
    }

    @Test("--output - writes the archive to standard output (its line to standard error) and /dev/null takes it whatever its name; both were refused for their extension")
    func standardOutputAndDevices() throws {
        let config = try AnnealProcess.writeConfig(#"{"data": {"source": "shapes"}, "model": {"hidden_sizes": [8], "latent_dim": 2}, "training": {"num_epochs": 1, "batch_size": 256}}"#)
        let run = config.deletingLastPathComponent().appendingPathComponent("run").path
        #expect(try AnnealProcess.run(["train", "--config", config.path, "--out", run]).status == 0)
        let piped = try AnnealProcess.run(["export", run, "--output", "-"])
        let file = try AnnealProcess.run(["export", run, "--output", run + "/m.safetensors"])
        #expect(piped.status == 0 && piped.standardError.hasPrefix("wrote the archive to standard output: "), "\(piped.standardError)")
        // The safetensors header (8 bytes of length, then JSON) is on standard output, as in the file.
        let header = try String(decoding: Data(contentsOf: URL(fileURLWithPath: run + "/m.safetensors")).dropFirst(8).prefix(40), as: UTF8.self)
        #expect(file.status == 0 && header.hasPrefix(#"{"__metadata__""#) && piped.standardOutput.contains(header), "\(header)")
        let null = try AnnealProcess.run(["export", run, "--output", "/dev/null", "--format", "npz"])
        #expect(null.status == 0 && null.standardOutput.hasPrefix("wrote /dev/null: "), "\(null.standardError)")
        var info = stat()
        #expect(stat("/dev/null", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
    }

    @Test("bad requests are one-line errors")
    func errors() throws {
        let missing = try AnnealProcess.run(["export", "/nonexistent/run"])
        #expect(missing.status != 0 && missing.standardError.contains("/nonexistent/run: no such run folder or checkpoint"))
        let format = try AnnealProcess.run(["export", "/nonexistent/run", "--format", "tflite"])
        #expect(format.status != 0 && format.standardError.contains("'tflite' is invalid for '--format <format>'") && format.standardError.contains("'onnx'"))
        let mismatch = try AnnealProcess.run(["export", "/nonexistent/run", "--format", "npz", "--output", "x.safetensors"])
        #expect(mismatch.status != 0 && mismatch.standardError.contains("--output must end in .npz"))
        #expect(![missing, format, mismatch].contains { $0.standardError.contains("Fatal error") })
    }

    @Test("ONNX export: no checkpoint, standard output, a folder in the way and --file-units without onnx are one-line errors that write nothing; a per-group run exports every generator under its own name")
    func onnxRequests() throws {
        let config = try AnnealProcess.writeConfig(#"""
            {"data": {"source": "shapes", "validation_fraction": 0.2},
             "model": {"type": "vae", "hidden_sizes": [8], "latent_dim": 2, "granularity": "per_group", "groups": {"round": [1], "angular": [0, 2, 3]}},
             "training": {"num_epochs": 1, "batch_size": 256}}
            """#)
        let folder = config.deletingLastPathComponent()
        let run = folder.appendingPathComponent("run").path
        #expect(try AnnealProcess.run(["train", "--config", config.path, "--out", run]).status == 0)
        let set = try AnnealProcess.run(["export", run, "--format", "onnx"])
        #expect(set.status == 0, "\(set.standardError)")
        for name in ["round", "angular"] {
            for network in ["encoder", "decoder"] {
                #expect(set.standardOutput.contains("wrote \(run)/export/model.\(name).\(network).onnx: generator \(name): \(network) ("), "\(set.standardOutput)")
                #expect(FileManager.default.fileExists(atPath: "\(run)/export/model.\(name).\(network).onnx"))
            }
        }
        let archives = try AnnealProcess.run(["export", run, "--format", "npz"])
        #expect(archives.status == 0 && FileManager.default.fileExists(atPath: run + "/export/model.angular.npz"), "\(archives.standardError)")

        let empty = folder.appendingPathComponent("empty").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let noCheckpoint = try AnnealProcess.run(["export", empty, "--format", "onnx"])
        #expect(noCheckpoint.status == 1 && noCheckpoint.standardError.contains("holds no checkpoint"), "\(noCheckpoint.standardError)")
        let member = run + "/generators/round"
        let piped = try AnnealProcess.run(["export", member, "--format", "onnx", "--output", "-"])
        #expect(piped.status == 64 && piped.standardError.contains("--format onnx writes one file per network"), "\(piped.standardError)")
        // A folder where the decoder's file would go: refused before the encoder's file is written.
        try FileManager.default.createDirectory(atPath: folder.path + "/out/m.decoder.onnx", withIntermediateDirectories: true)
        let blocked = try AnnealProcess.run(["export", member, "--format", "onnx", "--output", folder.path + "/out/m.onnx"])
        #expect(blocked.status == 1 && blocked.standardError.contains("m.decoder.onnx: it is a folder"), "\(blocked.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/out/m.encoder.onnx"))
        let units = try AnnealProcess.run(["export", member, "--file-units"])
        #expect(units.status == 64 && units.standardError.contains("--file-units chooses the units an ONNX encoder reads"), "\(units.standardError)")
        for result in [noCheckpoint, piped, blocked, units] {
            #expect(!result.standardError.contains("Fatal error"))
            #expect(result.standardError.split(separator: "\n").first.map { $0.hasPrefix("Error: ") } == true)
        }
    }
}
