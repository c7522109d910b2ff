import Foundation
import JSONConfig
import RunLog
import Schedules
import Testing
import Training

/// The first Python that can import `modules`: ANNEAL_TENSORBOARD_PYTHON (set by .ci/run), the environment
/// .ci/run makes, or the reference environment of ../shared/bench/setup-ref-env.sh; nil when none can, and the
/// tests that need it are skipped with a note saying so.
func python(with modules: [String]) -> String? {
    let home = FileManager.default.homeDirectoryForCurrentUser.path
    let candidates = [ProcessInfo.processInfo.environment["ANNEAL_TENSORBOARD_PYTHON"], home + "/.cache/anneal-tensorboard-venv/bin/python",
                      home + "/.cache/anneal-ref-venv/bin/python"].compactMap { $0 }
    for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
        let result = try? AnnealProcess.run(executable: URL(fileURLWithPath: candidate), ["-c", "import " + modules.joined(separator: ", ")])
        if result?.status == 0 { return candidate }
    }
    return nil
}

/// A Python with the tensorboard package.
let tensorBoardPython = python(with: ["tensorboard"])
/// A Python with html5lib, for the report's HTML check.
let html5Python = python(with: ["html5lib"])

@Suite("TensorBoard event files from training")
struct TensorBoardRunTests {
    static let hierarchical = #"""
    {"data": {"source": "shapes", "validation_fraction": 0.2},
     "model": {"type": "hierarchical_cvae", "hidden_sizes": [32], "global_latent_dim": 2, "local_latent_dim": 3},
     "training": {"num_epochs": 5, "batch_size": 128, "beta_scheduler_type": "hierarchical",
                  "beta_scheduler_params": {
                      "global_scheduler": {"type": "warm_restart", "base_scheduler_type": "cosine",
                                           "base_scheduler_kwargs": {"max_beta": 0.5, "warmup_epochs": 2}, "restart_interval": 2, "restart_multiplier": 1.0},
                      "local_scheduler": {"type": "cyclical", "cycle_length": 5, "max_beta": 0.02, "wave_type": "triangle"}}},
     "logging": {"log_every_n_batches": 2}}
    """#

    func train(_ text: String) throws -> (directory: String, events: String) {
        let config = try AnnealProcess.writeConfig(text)
        let out = config.deletingLastPathComponent().appendingPathComponent("run").path
        let result = try AnnealProcess.run(["train", "--config", config.path, "--out", out])
        #expect(result.status == 0, "\(result.standardError)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.contains("tfevents") }
        #expect(files.count == 1)
        return (out, out + "/" + (files.first ?? ""))
    }

    @Test("the seed's tag layout, values equal to anneal schedule's table, every record intact")
    func layout() throws {
        let (directory, events) = try train(Self.hierarchical)
        let scalars = try EventFileReader.scalars(events)
        func series(_ tag: String) -> [(step: Int, value: Float)] { scalars.filter { $0.tag == tag }.map { ($0.step, $0.value) } }
        // Epoch level: step = epoch; a weight evaluated per epoch at the epoch's start, one evaluated per step at
        // its mean over the epoch's 5 steps (start and end beside it), exactly the schedule table's (in float32).
        let plan = try RunConfiguration.load(file: directory + "/config.json").quantities
        for column in ["global_kl_weight", "local_kl_weight", "last_restart_epoch", "epochs_since_restart", "next_restart_epoch"] {
            let tag = column.hasSuffix("weight") ? "Beta_Schedule/\(column)" : "Beta_Schedule/Restart/\(column)"
            #expect(series(tag).map(\.step) == [0, 1, 2, 3, 4], "\(tag)")
            #expect(series(tag).map(\.value) == ExampleTensorBoardTests.epochValues(plan, column, epochs: 5, stepsPerEpoch: 5), "\(tag)")
            if column.hasSuffix("weight"), plan[column]?.evaluation == .step {
                let steps = ScheduleTable(plan: plan, window: RunWindow(numEpochs: 5, stepsPerEpoch: 5), rowsPerStep: true).numbers(column)!
                #expect(series(tag + "_start").map(\.value) == stride(from: 0, to: 25, by: 5).map { Float(steps[$0]) }, "\(tag)_start")
                #expect(series(tag + "_end").map(\.value) == stride(from: 4, to: 25, by: 5).map { Float(steps[$0]) }, "\(tag)_end")
            }
        }
        #expect(series("Beta_Schedule/Restart/is_restart_epoch").map(\.value) == [0, 0, 1, 0, 1])
        // Batch level every 2nd step: 614 training examples in batches of 128 are 5 steps an epoch, so 25 steps
        // numbered 0…24 and logged at 0, 2, …, 24.
        for tag in ["Batch/KL_Loss", "Batch/Total_Loss", "Batch/Reconstruction_Loss", "Batch/Learning_Rate", "Batch/Global_KL_Weight", "Batch/Local_KL_Weight"] {
            #expect(series(tag).map(\.step) == Array(stride(from: 0, to: 25, by: 2)), "\(tag)")
        }
        // Epoch metrics.
        for tag in ["Epoch/Train_ELBO", "Epoch/Validation_ELBO", "Epoch/KL/global", "Epoch/KL/local", "Epoch/Active_Units/global",
                    "KL_Per_Dimension/global/1", "KL_Per_Dimension/local/2", "Epoch/Learning_Rate", "Epoch/Skipped_Steps"] {
            #expect(series(tag).count == 5, "\(tag)")
        }
        #expect(series("hparam/validation_elbo").count == 1)
        // Steps strictly increase per tag.
        for tag in Set(scalars.map(\.tag)) {
            let steps = series(tag).map(\.step)
            #expect(zip(steps, steps.dropFirst()).allSatisfy { $0 < $1 }, "\(tag)")
        }
        // metrics.csv has the same numbers as metrics.jsonl.
        let csv = try String(contentsOfFile: directory + "/metrics.csv", encoding: .utf8).split(separator: "\n")
        let jsonl = try String(contentsOfFile: directory + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 6 && jsonl.count == 5)
        let header = csv[0].split(separator: ",").map(String.init)
        let lossColumn = try #require(header.firstIndex(of: "loss"))
        for (row, line) in zip(csv.dropFirst(), jsonl) {
            // JSONParser reads numbers exactly (Foundation's JSONSerialization does not always).
            guard case .number(let loss, _)? = try JSONParser.parse(String(line))["loss"]?.kind else { Issue.record("no loss"); continue }
            #expect(Double(row.split(separator: ",", omittingEmptySubsequences: false)[lossColumn]) == loss)
        }
    }

    @Test("with two restarting terms, the restart tags carry the same names as anneal schedule's columns")
    func twoRestartingTerms() throws {
        let (directory, events) = try train(#"""
        {"data": {"source": "shapes", "validation_fraction": 0.2},
         "model": {"type": "hierarchical_cvae", "hidden_sizes": [16], "latent_dim": 2},
         "training": {"num_epochs": 5, "batch_size": 256, "beta_scheduler_type": "hierarchical",
                      "beta_scheduler_params": {
                          "global_scheduler": {"type": "warm_restart", "base_scheduler_type": "cosine", "base_scheduler_kwargs": {"warmup_epochs": 2}, "restart_interval": 2},
                          "local_scheduler": {"type": "warm_restart", "base_scheduler_type": "linear", "base_scheduler_kwargs": {"warmup_epochs": 1}, "restart_interval": 3}}}}
        """#)
        let scalars = try EventFileReader.scalars(events)
        let configuration = try ScheduleConfiguration.load(file: directory + "/config.json", otherTrainingKeys: RunConfiguration.trainingKeys)
        let table = ScheduleTable(configuration: configuration, window: RunWindow(numEpochs: 5))
        #expect(table.columns.contains("global_last_restart_epoch") && table.columns.contains("local_is_restart_epoch"))
        for column in table.columns where column.hasSuffix("restart_epoch") || column.hasSuffix("since_restart") {
            let logged = scalars.filter { $0.tag == "Beta_Schedule/Restart/\(column)" }
            #expect(logged.map(\.value) == table.numbers(column)!.map(Float.init), "\(column)")
        }
    }

    @Test("the real TensorBoard reads every record, tag, step and value, the comparison chart and the HParams",
          .enabled(if: tensorBoardPython != nil, "needs a Python with tensorboard: .ci/run sets ANNEAL_TENSORBOARD_PYTHON"))
    func realTensorBoard() throws {
        let (directory, events) = try train(Self.hierarchical)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/read_tensorboard.py").path
        let result = try AnnealProcess.run(executable: URL(fileURLWithPath: tensorBoardPython!), [script, directory])
        #expect(result.status == 0, "\(result.standardError.suffix(1500))")
        let seen = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        // Every record read with CRC checks: a silently truncated file would have fewer.
        #expect(seen["records"] as? Int == (try EventFileReader.records(events).count))
        let theirs = try #require(seen["scalars"] as? [String: [[Double]]])
        let ours = try EventFileReader.scalars(events)
        #expect(theirs.values.reduce(0) { $0 + $1.count } == ours.count)
        for tag in Set(ours.map(\.tag)) {
            let mine = ours.filter { $0.tag == tag }
            #expect(theirs[tag]?.map { Int($0[0]) } == mine.map(\.step), "\(tag)")
            #expect(theirs[tag]?.map { Float($0[1]) } == mine.map(\.value), "\(tag)")
        }
        let layout = seen["layout"] as? [[Any]]
        #expect(layout?.first?.first as? String == "Beta_Schedule")
        #expect((seen["hparams"] as? [String]) == ["_hparams_/experiment", "_hparams_/session_start_info", "_hparams_/session_end_info"])
    }
}

@Suite("TensorBoard server")
struct TensorBoardServerTests {
    @Test("a real TensorBoard server shows both runs, the comparison chart and an HParams table lining up the schedules (both loaders)",
          .enabled(if: tensorBoardPython != nil, "needs a Python with tensorboard: .ci/run sets ANNEAL_TENSORBOARD_PYTHON"),
          arguments: ["false", "true"])
    func server(loadFast: String) throws {
        let logdir = try AnnealProcess.temporaryDirectory().appendingPathComponent("runs").path
        for (name, params) in [("cyclical", #""global_scheduler": {"type": "cyclical", "cycle_length": 2}, "local_scheduler": {"type": "constant", "beta": 0.5}"#),
                               ("linear", #""global_scheduler": {"type": "linear", "warmup_epochs": 2}, "local_scheduler": {"type": "constant", "beta": 0.1}"#)] {
            let config = try AnnealProcess.writeConfig(#"""
            {"data": {"source": "shapes", "validation_fraction": 0.2}, "model": {"type": "hierarchical_cvae", "hidden_sizes": [16], "latent_dim": 2},
             "training": {"num_epochs": 3, "batch_size": 256, "beta_scheduler_type": "hierarchical", "beta_scheduler_params": {\#(params)}}}
            """#)
            let result = try AnnealProcess.run(["train", "--config", config.path, "--out", logdir + "/" + name])
            #expect(result.status == 0, "\(result.standardError)")
        }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/query_tensorboard_server.py").path
        let port = String(Int.random(in: 20_000..<40_000))
        let result = try AnnealProcess.run(executable: URL(fileURLWithPath: tensorBoardPython!), [script, logdir, port, loadFast])
        #expect(result.status == 0, "\(result.standardError.suffix(1500))")
        let seen = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(seen["error"] == nil, "\(seen["error"] ?? "")")
        #expect((seen["runs"] as? [String])?.sorted() == ["cyclical", "linear"])
        let tags = seen["tags"] as? [String: [String]]
        for tag in ["Batch/Global_KL_Weight", "Beta_Schedule/global_kl_weight", "Beta_Schedule/local_kl_weight", "Epoch/Validation_ELBO"] {
            #expect(tags?["cyclical"]?.contains(tag) == true, "\(tag)")
        }
        let categories = (seen["layout"] as? [String: Any])?["category"] as? [[String: Any]]
        let chart = (categories?.first?["chart"] as? [[String: Any]])?.first
        #expect(categories?.first?["title"] as? String == "Beta_Schedule" && chart?["title"] as? String == "Hierarchical_Comparison")
        let groups = try #require((seen["session_groups"] as? [String: Any])?["sessionGroups"] as? [[String: Any]])
        #expect(groups.count == 2)
        for group in groups {
            let hparams = group["hparams"] as? [String: Any]
            #expect(hparams?["beta_scheduler_type"] as? String == "hierarchical")
            #expect(hparams?["beta.local.beta"] as? Double == (group["name"] as? String == "cyclical" ? 0.5 : 0.1))
            let session = (group["sessions"] as? [[String: Any]])?.first
            #expect(session?["status"] as? String == "STATUS_SUCCESS")
            let metrics = (session?["metricValues"] as? [[String: Any]])?.compactMap { ($0["name"] as? [String: Any])?["tag"] as? String }
            #expect(metrics?.contains("hparam/validation_elbo") == true)
        }
    }
}

@Suite("Example configs in TensorBoard")
struct ExampleTensorBoardTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples")

    static var runConfigs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: examples.path)) ?? []).filter { name in
            name.hasSuffix(".json") && ((try? String(contentsOf: examples.appendingPathComponent(name), encoding: .utf8))?.contains("\"data\"") ?? false)
        }.sorted()
    }

    @Test("each example's run shows the seed's Beta_Schedule tags with the values anneal schedule prints", arguments: runConfigs)
    func example(name: String) throws {
        var config = Self.examples.appendingPathComponent(name).path
        let out = try AnnealProcess.temporaryDirectory().appendingPathComponent("run").path
        // The image quick start's epochs are 200 conv steps over 737,280 drawn images: a copy with 5 steps an epoch
        // and 0.05 % held out trains the same schedule in seconds (β is per epoch, so its tags are the same).
        let text = try String(contentsOfFile: config, encoding: .utf8)
        if text.contains("\"steps_per_epoch\": 200") {
            let reduced = text.replacingOccurrences(of: "\"steps_per_epoch\": 200", with: "\"steps_per_epoch\": 5")
                .replacingOccurrences(of: "\"validation_fraction\": 0.01", with: "\"validation_fraction\": 0.0005")
            config = URL(fileURLWithPath: out).deletingLastPathComponent().appendingPathComponent(name).path
            try reduced.write(toFile: config, atomically: true, encoding: .utf8)
        }
        let result = try AnnealProcess.run(["train", "--config", config, "--out", out, "--epochs", "2"])
        #expect(result.status == 0, "\(result.standardError)")
        let events = try #require(try FileManager.default.contentsOfDirectory(atPath: out).first { $0.contains("tfevents") })
        let scalars = try EventFileReader.scalars(out + "/" + events)
        // The run's own quantities, as anneal schedule shows them for a run config, over the run's own steps.
        let plan = try RunConfiguration.load(file: config, epochs: 2).quantities
        let firstLine = try String(contentsOfFile: out + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")[0]
        let stepsPerEpoch = (try JSONSerialization.jsonObject(with: Data(firstLine.utf8)) as? [String: Any])?["global_step"] as? Int ?? 1
        let table = ScheduleTable(plan: plan, window: RunWindow(numEpochs: 2))
        for column in table.columns where column != "epoch" && column != "lr" && column != "phase" {
            // A quantity a controller drives logs the value it was given, not the schedule (which it scales).
            let quantity = table.quantities.first { $0.name == column }
            if quantity?.controller != nil { continue }
            let tag = ScheduleTable.restartColumns.contains(column) ? "Beta_Schedule/Restart/\(column)"
                : [.temperature, .lossWeight, .model].contains(quantity?.role) ? "Quantities/\(column)" : "Beta_Schedule/\(column)"
            let logged = scalars.filter { $0.tag == tag }
            #expect(logged.map(\.step) == [0, 1], "\(name): \(tag)")
            #expect(logged.map(\.value) == Self.epochValues(plan, column, epochs: 2, stepsPerEpoch: stepsPerEpoch), "\(name): \(tag)")
        }
        #expect(scalars.contains { $0.tag == "Batch/KL_Loss" } && scalars.contains { $0.tag == "Epoch/Validation_ELBO" })
    }

    /// A column's epoch-level values as the run logs them: a KL weight evaluated per step, its mean over each
    /// epoch's steps (summed in order, as the trainer sums them); anything else, its value at each epoch's start.
    static func epochValues(_ plan: QuantityPlan, _ column: String, epochs: Int, stepsPerEpoch: Int) -> [Float] {
        let window = RunWindow(numEpochs: epochs, stepsPerEpoch: stepsPerEpoch)
        if let quantity = plan[column], quantity.role == .klWeight || quantity.role == .capacity, quantity.evaluation == .step, quantity.controller == nil {
            let steps = ScheduleTable(plan: plan, window: window, rowsPerStep: true).numbers(column)!
            return (0..<epochs).map { epoch in
                Float(steps[(epoch * stepsPerEpoch)..<((epoch + 1) * stepsPerEpoch)].reduce(0, +) / Double(stepsPerEpoch))
            }
        }
        return ScheduleTable(plan: plan, window: window, rowsPerStep: false).numbers(column)!.map(Float.init)
    }
}
