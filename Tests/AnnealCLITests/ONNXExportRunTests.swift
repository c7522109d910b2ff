import Data
import Foundation
import Models
import RunLog
import Tensors
import Testing
@testable import Training

/// A Python with ONNX Runtime and the onnx package (.ci/run installs both).
let onnxPython = python(with: ["onnx", "onnxruntime", "numpy"])

/// Trained tiny runs of every model type, likelihood, layer type and latent geometry, each with anneal's own
/// outputs on fixed inputs written as .npy files: what the ONNX and PyTorch checks compare against.
enum ExportFixtures {
    /// name, data (a built-in source or a generated .npy), and the model section.
    static let cases: [(name: String, data: String, model: String)] = [
        ("vae_conv_bernoulli", #"{"source": "shapes", "validation_fraction": 0.2}"#,
         #"{"type": "vae", "latent_dim": 3, "activation": "leaky_relu", "encoder": {"conv": [{"channels": 4, "kernel": 4, "stride": 2, "padding": 1}], "dense": [16]}}"#),
        ("cvae_poincare_categorical", #"{"source": "ternary_operations", "validation_fraction": 0.1}"#,
         #"{"type": "cvae", "hidden_sizes": [16], "latent_dim": 3, "activation": "elu", "latent_geometry": "poincare", "curvature": 2}"#),
        ("hierarchical_cvae_dense", #"{"source": "shapes", "validation_fraction": 0.2}"#,
         #"{"type": "hierarchical_cvae", "hidden_sizes": [16], "global_latent_dim": 2, "local_latent_dim": 3, "activation": "tanh"}"#),
        ("dual_vae_gaussian_standardized", #"{"path": "table.npy", "standardize": true, "validation_fraction": 0.2}"#,
         #"{"type": "dual_vae", "hidden_sizes": [12], "latent_dim": 2, "latent_dim_b": 2, "activation": "softplus", "likelihood": "gaussian"}"#),
        ("dual_vae_poincare_conv", #"{"source": "shapes", "validation_fraction": 0.2}"#,
         #"{"type": "dual_vae", "latent_dim": 2, "latent_dim_b": 2, "latent_geometry": "poincare", "encoder": {"conv": [{"channels": 3, "kernel": 4, "stride": 2, "padding": 1}], "dense": [8]}}"#),
        ("cvae_conv_same_mse", #"{"source": "shapes", "validation_fraction": 0.2}"#,
         #"{"type": "cvae", "latent_dim": 2, "likelihood": "mse", "activation": "sigmoid", "encoder": {"conv": [{"channels": 3, "kernel": 3, "stride": 2, "padding": "same"}], "dense": [8]}}"#),
    ]

    /// One network's check: the exported file's suffix, its inputs and the expected outputs (by output name).
    struct Check: Codable {
        var network: String
        var inputs: [String: String]
        var expected: [[String]]
    }

    /// A trained case: its run folder, its checks, and the class its decoder is conditioned on.
    struct Prepared {
        var run: String
        var checks: [Check]
        var decoderClass: Int?
        var codes: String
        /// The fixed examples in the data file's units, for a run that scaled or standardised its data.
        var fileUnitsX: String?
    }

    /// A 200 × 6 table with a constant column (standardised: the constant comes back exactly in samples).
    static func writeTable(_ path: String) throws {
        var generator = RandomGenerator(seed: 3)
        var values = [Float](repeating: 0, count: 1200)
        values.withUnsafeMutableBufferPointer { generator.fillNormal($0) }
        for row in 0..<200 {
            values[row * 6 + 2] = 4.5
            values[row * 6 + 4] = values[row * 6 + 4] * 30 + 100
        }
        try NPYWriter.write(values, shape: [200, 6], to: path)
    }

    /// Trains `name`'s run for one epoch in `folder` and writes anneal's outputs on 5 fixed examples.
    static func prepare(_ index: Int, in folder: URL) throws -> Prepared {
        let (name, data, model) = cases[index]
        let directory = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if data.contains("table.npy") { try writeTable(directory.appendingPathComponent("table.npy").path) }
        let configPath = directory.appendingPathComponent("config.json").path
        // The dual VAE's decoder reads [z_A, c·z_B] with c = 0.5 set by a phase, so the export must carry c.
        let phases = model.contains("dual_vae") && data.contains("table.npy") ? #", "phases": [{"name": "half", "start_epoch": 0, "quantities": {"B_contribution": 0.5}}]"# : ""
        try #"{"data": \#(data), "model": \#(model), "training": {"num_epochs": 1, "batch_size": 128, "learning_rate": 0.003\#(phases)}}"#
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        let run = directory.appendingPathComponent("run").path
        let trainResult = try AnnealProcess.run(["train", "--config", configPath, "--out", run])
        guard trainResult.status == 0 else { throw TrainingError("\(name): training failed: \(trainResult.standardError)") }

        let trained = try TrainedModel.load(run)
        let dataset = trained.dataset, network = trained.model
        let conditioned = trained.configuration.model.specification.needsLabels
        let rows = 5
        func write(_ values: some Sequence<Float>, _ shape: [Int], _ file: String) throws -> String {
            let path = directory.appendingPathComponent(file + ".npy").path
            try NPYWriter.write(Array(values), shape: shape, to: path)
            return path
        }
        func columns(_ values: [Float], width: Int, _ range: Range<Int>) -> [Float] {
            (0..<(values.count / width)).flatMap { row in values[(row * width + range.lowerBound)..<(row * width + range.upperBound)] }
        }

        let graph = Graph<Float>()
        let batch = BatchAssembler(dataset: dataset, conditioned: conditioned).batch(Array(0..<rows)[...], in: graph)
        var noise = RandomGenerator(seed: 11)
        let output = network.forward(batch, context: trained.context(temperature: 1), noise: &noise, in: graph)
        let x = try write(graph.value(batch.input), [rows, dataset.featureCount], "x")
        var fileUnitsX: String?
        if dataset.standardization != nil || (dataset.scaleDivisor ?? 1) != 1 {
            var values = Array(graph.value(batch.input))
            dataset.standardization?.undo(&values)
            fileUnitsX = try write(values.map { $0 * (dataset.scaleDivisor ?? 1) }, [rows, dataset.featureCount], "x_file")
        }
        let y = try batch.conditions.map { try write(graph.value($0), [rows, dataset.classCount], "y") }
        let latent = Array(graph.value(output.latent))
        let width = network.latentWidth
        let blocks = network.terms.filter { $0.role == .kl }.map(\.columns)
        // The noise the forward pass drew, block after block, from the same seed.
        var replay = RandomGenerator(seed: 11)
        var noises: [String] = []
        for (block, size) in blocks.enumerated() {
            var values = [Float](repeating: 0, count: rows * size)
            values.withUnsafeMutableBufferPointer { replay.fillNormal($0) }
            noises.append(try write(values, [rows, size], "noise\(block)"))
        }
        let ball = trained.configuration.model.specification.klTerms.count > 0 && "\(model)".contains("poincare")
        var checks: [Check] = []
        var offset = 0
        for callable in network.callableNetworks {
            switch callable.role {
            case .encoder(let size, _) where callable.name != "local_prior":
                let block = checks.count
                var inputs = ["x": x, "noise": noises[block]]
                if let y { inputs["y"] = y }
                if callable.sides.contains(where: { $0.name == "z_global" }) { inputs["z_global"] = try write(columns(latent, width: width, 0..<blocks[0]), [rows, blocks[0]], "z_global") }
                let z = try write(columns(latent, width: width, offset..<(offset + size)), [rows, size], "\(callable.name).z")
                let logVariance = try write(graph.value(output.posteriorLogVariances[block]), [rows, size], "\(callable.name).log_variance")
                let mean = try write(graph.value(output.posteriorMeans[block]), [rows, size], "\(callable.name).mean")
                checks.append(Check(network: callable.name, inputs: inputs, expected: [["z", z], ["log_variance", logVariance], [ball ? "location" : "mean", mean]]))
                offset += size
            case .encoder(let size, _):
                // The conditional prior, against samplePrior: z_g = ε_g at temperature 1, then z_l from the prior.
                let priorGraph = Graph<Float>()
                var priorNoise = RandomGenerator(seed: 12), priorReplay = RandomGenerator(seed: 12)
                let conditions = priorGraph.constant(rows: rows, columns: dataset.classCount) { $0.update(from: graph.value(batch.conditions!)) }
                let sample = Array(priorGraph.value(network.samplePrior(rows: rows, conditions: conditions, temperature: 1, noise: &priorNoise, in: priorGraph)))
                var skipped = [Float](repeating: 0, count: rows * blocks[0]), epsilon = [Float](repeating: 0, count: rows * size)
                skipped.withUnsafeMutableBufferPointer { priorReplay.fillNormal($0) }
                epsilon.withUnsafeMutableBufferPointer { priorReplay.fillNormal($0) }
                checks.append(Check(network: callable.name,
                                    inputs: ["z_global": try write(columns(sample, width: width, 0..<blocks[0]), [rows, blocks[0]], "prior.z_global"),
                                             "y": y!, "noise": try write(epsilon, [rows, size], "prior.noise")],
                                    expected: [["z", try write(columns(sample, width: width, blocks[0]..<width), [rows, size], "prior.z")]]))
            case .decoder:
                break
            }
        }
        // The decoder on the encoders' codes, conditioned on one class.
        let codes = try write(latent, [rows, width], "codes")
        let decoderClass = conditioned ? dataset.classesPresent[1] : nil
        graph.reset()
        let z = graph.constant(rows: rows, columns: width) { $0.update(from: latent) }
        let conditions = decoderClass.map { label in graph.oneHot(graph.labels(rows: rows, columns: 1) { $0.update(repeating: Int32(label)) }, classes: dataset.classCount) }
        let decoded = network.decode(z, conditions: conditions, context: trained.context(temperature: 0), in: graph)
        let parameters = try write(graph.value(decoded), [rows, dataset.featureCount], "decoder.parameters")
        let mean = try write(graph.value(network.reconstructionMean(decoded, in: graph)), [rows, dataset.featureCount], "decoder.mean")
        var inputs = ["z": codes]
        if let decoderClass {
            var oneHot = [Float](repeating: 0, count: rows * dataset.classCount)
            for row in 0..<rows { oneHot[row * dataset.classCount + decoderClass] = 1 }
            inputs["y"] = try write(oneHot, [rows, dataset.classCount], "decoder.y")
        }
        var expected: [[String]]
        switch trained.configuration.model.likelihood {
        case .bernoulli, .categorical: expected = [["logits", parameters], ["probabilities", mean]]
        case .gaussian:
            let logVariance = network.parameters.first { $0.name == "decoder.log_variance" }!.tensor.tensor.scalars
            expected = [["mean", parameters], ["log_variance", try write((0..<rows).flatMap { _ in logVariance }, [rows, dataset.featureCount], "decoder.log_variance")]]
        case .squaredError: expected = [["mean", parameters]]
        }
        checks.append(Check(network: "decoder", inputs: inputs, expected: expected))
        return Prepared(run: run, checks: checks, decoderClass: decoderClass, codes: codes, fileUnitsX: fileUnitsX)
    }
}

@Suite("anneal export --format onnx, checked by ONNX Runtime")
struct ONNXExportRunTests {
    @Test("every model type, likelihood, layer type and geometry: ONNX Runtime's outputs equal anneal's within 1e-5 relative, and the decoder's samples equal anneal sample --codes",
          .enabled(if: onnxPython != nil, "needs a Python with onnx and onnxruntime: .ci/run installs them"))
    func matchesAnneal() throws {
        let folder = try AnnealProcess.writeConfig("{}").deletingLastPathComponent()
        var manifest: [[String: Any]] = []
        for index in ExportFixtures.cases.indices {
            let prepared = try ExportFixtures.prepare(index, in: folder)
            let export = try AnnealProcess.run(["export", prepared.run, "--format", "onnx"])
            #expect(export.status == 0, "\(export.standardError)")
            for check in prepared.checks {
                var expected = check.expected
                if check.network == "decoder" {
                    // anneal sample's samples and --mean output for the same codes.
                    let classArguments = prepared.decoderClass.map { ["--class", String($0)] } ?? []
                    let samples = prepared.run + "/decoded.npy", means = prepared.run + "/decoded-mean.npy"
                    let sample = try AnnealProcess.run(["sample", prepared.run, "--codes", prepared.codes, "--output", samples] + classArguments)
                    let mean = try AnnealProcess.run(["sample", prepared.run, "--codes", prepared.codes, "--mean", "--output", means] + classArguments)
                    #expect(sample.status == 0 && mean.status == 0, "\(sample.standardError) \(mean.standardError)")
                    expected.append(["sample", samples])
                    expected.append([expected[0][0] == "logits" ? "probabilities" : "mean", means])
                }
                manifest.append(["file": prepared.run + "/export/model.\(check.network).onnx", "inputs": check.inputs, "expected": expected])
            }
            if let fileUnitsX = prepared.fileUnitsX {
                // --file-units: the encoders read the file's values and standardise them in the graph.
                let export = try AnnealProcess.run(["export", prepared.run, "--format", "onnx", "--file-units", "--output", prepared.run + "/file-units/model.onnx"])
                #expect(export.status == 0, "\(export.standardError)")
                for check in prepared.checks where check.inputs["x"] != nil {
                    var inputs = check.inputs
                    inputs["x"] = fileUnitsX
                    manifest.append(["file": prepared.run + "/file-units/model.\(check.network).onnx", "inputs": inputs, "expected": check.expected])
                }
            }
        }
        let manifestPath = folder.appendingPathComponent("manifest.json").path
        try JSONSerialization.data(withJSONObject: manifest, options: [.prettyPrinted]).write(to: URL(fileURLWithPath: manifestPath))
        let script = AnnealProcess.repository.appendingPathComponent("Tests/AnnealCLITests/Fixtures/check_onnx.py").path
        let check = try AnnealProcess.run(executable: URL(fileURLWithPath: onnxPython!), [script, manifestPath])
        #expect(check.status == 0, "\(check.standardOutput) \(check.standardError)")
        #expect(check.standardOutput.contains("largest relative difference"), "\(check.standardOutput)")
        print(check.standardOutput)
    }
}

/// A Python with PyTorch and safetensors: ANNEAL_PYTORCH_PYTHON, else the first of `python(with:)`'s candidates
/// that has them (CI's environment does not install PyTorch; the README says how to run this test).
let pytorchPython: String? = {
    if let given = ProcessInfo.processInfo.environment["ANNEAL_PYTORCH_PYTHON"], FileManager.default.isExecutableFile(atPath: given) { return given }
    return python(with: ["torch", "safetensors", "numpy"])
}()

@Suite("scripts/load_in_pytorch.py")
struct PyTorchLoaderTests {
    @Test("every model type, likelihood, layer type and geometry: the PyTorch modules built from the safetensors export equal anneal's outputs within 1e-5 relative",
          .enabled(if: pytorchPython != nil, "needs a Python with torch and safetensors: set ANNEAL_PYTORCH_PYTHON"))
    func matchesAnneal() throws {
        let folder = try AnnealProcess.writeConfig("{}").deletingLastPathComponent()
        let script = AnnealProcess.repository.appendingPathComponent("scripts/load_in_pytorch.py").path
        var outputs: [String] = []
        for index in ExportFixtures.cases.indices {
            let prepared = try ExportFixtures.prepare(index, in: folder)
            let export = try AnnealProcess.run(["export", prepared.run])
            #expect(export.status == 0, "\(export.standardError)")
            let manifest = prepared.checks.map { ["network": $0.network, "inputs": $0.inputs, "expected": $0.expected] as [String: Any] }
            let manifestPath = prepared.run + "/pytorch-manifest.json"
            try JSONSerialization.data(withJSONObject: manifest).write(to: URL(fileURLWithPath: manifestPath))
            let check = try AnnealProcess.run(executable: URL(fileURLWithPath: pytorchPython!), [script, prepared.run + "/export/model.safetensors", manifestPath])
            #expect(check.status == 0, "\(ExportFixtures.cases[index].name): \(check.standardOutput) \(check.standardError)")
            #expect(check.standardOutput.contains("largest relative difference"))
            outputs.append(check.standardOutput)
        }
        print(outputs.joined())
    }
}
