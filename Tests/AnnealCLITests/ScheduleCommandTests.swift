import Foundation
import Testing

@Suite("anneal schedule")
struct ScheduleCommandTests {
    @Test("--output - is the table on standard output, as no --output (it asked for --format); train refuses --out -")
    func standardOutput() throws {
        let config = try AnnealProcess.writeConfig(#"{"num_epochs": 3, "beta_scheduler_type": "linear", "beta_scheduler_params": {"warmup_epochs": 2}}"#)
        let dash = try AnnealProcess.run(["schedule", "--config", config.path, "--output", "-"])
        let plain = try AnnealProcess.run(["schedule", "--config", config.path])
        #expect(dash.status == 0 && dash.standardOutput == plain.standardOutput && dash.standardOutput.hasPrefix("epoch"), "\(dash.standardError)")
        let train = try AnnealProcess.run(["train", "--config", config.path, "--out", "-"])
        #expect(train.status != 0 && train.standardError.contains("--out names the run's folder"))
    }

    @Test("CSV of the seed's warm restart: restart columns, exact values, restarts at 40, 88, 146")
    func csv() throws {
        let result = try AnnealProcess.run(["schedule", "--config", "examples/warm_restart_config.json", "--format", "csv"])
        #expect(result.status == 0)
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        // A run config shows every quantity the run reads: here also the default learning rate, 0.001.
        #expect(lines[0] == "epoch,beta,last_restart_epoch,epochs_since_restart,next_restart_epoch,is_restart_epoch,lr")
        #expect(lines.count == 151)  // header + epochs 0…149
        #expect(lines[1] == "0,0,0,0,40,false,0.001")
        #expect(lines[21] == "20,1,0,20,40,false,0.001")  // the cosine warm-up is done at epoch 20
        #expect(lines[41] == "40,0,40,0,88,true,0.001")
        #expect(lines[89] == "88,0,88,0,146,true,0.001")
        #expect(lines[147] == "146,0,146,0,215,true,0.001")
        // The run's own steps are counted from its data (shapes: 691 training examples in batches of 64); β here
        // is evaluated per epoch, so the rows stay one per epoch.
        #expect(result.standardError == "note: 11 steps per epoch, as the run takes them (691 training examples in batches of 64)\n")
    }

    @Test("a run config's own steps per epoch come from its data: a per-step β gets a row per step and no false warning that it reaches at most 0")
    func runStepsFromData() throws {
        // 3 epochs of shapes (691 training examples, batches of 128: 6 steps) under half-epoch cycles, evaluated per step.
        let config = try AnnealProcess.writeConfig(#"{"data": {"source": "shapes"}, "training": {"num_epochs": 3, "batch_size": 128, "beta_scheduler_type": "cyclical", "beta_scheduler_params": {"cycle_length": 0.5, "wave_type": "triangle"}}}"#)
        let result = try AnnealProcess.run(["schedule", "--config", config.path, "--format", "csv"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("note: 6 steps per epoch, as the run takes them (691 training examples in batches of 128)"))
        #expect(!result.standardError.contains("reaches at most"), "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("step,epoch,beta") && lines.count == 1 + 3 * 6)
        // A half-epoch triangle cycle is 3 steps: β = 0, 2/3, 2/3 (its peak, 1, falls between steps), then 0 at step 3.
        let betas = lines.dropFirst().map { Double($0.split(separator: ",")[2])! }
        #expect(abs(betas[1] - 2.0 / 3) < 1e-12 && betas[3] == 0 && betas.filter { $0 == 0 }.count == 6)
        // One step an epoch, as before, shows one row per epoch and says why the values look flat.
        let perEpoch = try AnnealProcess.run(["schedule", "--config", config.path, "--format", "csv", "--steps-per-epoch", "1"])
        #expect(perEpoch.standardOutput.split(separator: "\n").count == 4 && perEpoch.standardError.contains("beta changes within each epoch"))
    }

    /// The phased recipe's contract: explore 0–40 (β_A 0.3 → 0.8 linearly), consolidate 40–49 (β_B 0 → 0.1 over
    /// 9 epochs: 0.1·(5/9) at 45), disrupt at 50 (β_B jumps to 0.5), converge (β_B 0.5 → 1.0 and temperature
    /// 0.8 → 0.7 over 50 epochs: 0.75 and 0.75 at 75), constant after 100. The homeostatic controller on β_A
    /// scales its schedule, so the schedule is what the table shows.
    @Test("the phased recipe's table comes out of anneal schedule exactly")
    func phasedRecipe() throws {
        // One row per epoch (its learning rate decays per step, which otherwise gives a row per step).
        let result = try AnnealProcess.run(["schedule", "--config", "examples/phased_homeostatic_recipe.json", "--format", "csv", "--steps-per-epoch", "1"])
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0]
        func column(_ name: String) -> [Double] {
            let index = header.firstIndex(of: name)!
            return [0, 20, 40, 45, 49, 50, 75, 100].map { Double(lines[1 + $0][index])! }
        }
        #expect(column("A_kl_weight") == [0.3, 0.55, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8])
        #expect(column("B_kl_weight") == [0, 0, 0, 0.1 * (5.0 / 9), 0.1, 0.5, 0.75, 1.0])
        #expect(column("temperature") == [1.0, 1.0, 0.9, 0.9, 0.9, 0.8, 0.75, 0.7])
        let phase = header.firstIndex(of: "phase")!
        #expect([0, 40, 50, 51].map { lines[1 + $0][phase] } == ["explore", "consolidate", "disrupt", "converge"])
    }

    @Test("the default table is aligned and readable")
    func table() throws {
        let result = try AnnealProcess.run(["schedule", "--config", "examples/hierarchical_config.json", "--epochs", "3"])
        #expect(result.status == 0)
        // global: 0.01·(1 − cos(π·e/10))/2; local: 0.02·(1 − cos(2π·e/25))/2; 6 significant digits.
        #expect(result.standardOutput == """
        epoch  global_kl_weight  local_kl_weight     lr
            0                 0                0  0.001
            1       0.000244717      0.000314168  0.001
            2       0.000954915       0.00123693  0.001

        """)
    }

    @Test("JSON: the resolved config, warnings and one object per row")
    func json() throws {
        let result = try AnnealProcess.run(["schedule", "--config", "examples/cyclical_beta_config.json", "--epochs", "30", "--format", "json"])
        #expect(result.status == 0)
        let document = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        let rows = document?["rows"] as? [[String: Any]]
        #expect(rows?.count == 30)
        #expect(rows?[10]["beta"] as? Double == 1)
        #expect(document?["num_epochs"] as? Int == 30)
        #expect((document?["warnings"] as? [String])?.first?.contains("the last cycle is cut short") == true)
        #expect(result.standardError.contains("warning: examples/cyclical_beta_config.json: beta: the last cycle is cut short"))
    }

    @Test("no next restart (shrinking intervals) is an empty CSV cell and a JSON null")
    func noNextRestart() throws {
        let config = try AnnealProcess.writeConfig(#"{"num_epochs": 25, "beta_scheduler_type": "warm_restart", "beta_scheduler_params": {"base_scheduler_type": "linear", "base_scheduler_kwargs": {"warmup_epochs": 2}, "restart_interval": 10, "restart_multiplier": 0.5}}"#, named: "shrinking.json")
        let csv = try AnnealProcess.run(["schedule", "--config", config.path, "--format", "csv"])
        let lines = csv.standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[20] == "19,0,19,0,20,true")
        #expect(lines[22] == "21,0.5,20,1,,false")  // restarts at 10, 15, 18, 19, 20 and then none
        let json = try AnnealProcess.run(["schedule", "--config", config.path, "--format", "json"])
        let document = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any]
        let rows = try #require(document?["rows"] as? [[String: Any]])
        #expect(rows[21]["next_restart_epoch"] is NSNull)
        #expect(rows[19]["next_restart_epoch"] as? Int == 20)
    }

    @Test("per step: a step column and a fractional epoch")
    func perStep() throws {
        let result = try AnnealProcess.run(["schedule", "--config", "examples/cyclical_beta_config.json", "--epochs", "2", "--steps-per-epoch", "4", "--format", "csv"])
        #expect(result.status == 0)
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines[0] == "step,epoch,beta,lr")
        #expect(lines.count == 9)
        // β is evaluated once per epoch (the default beta_granularity), as the run will use it: step 5 of
        // epoch 1 holds epoch 1's value, 0.5·(1 − cos(2π/20)) = 0.0244717.
        #expect(lines[6] == "5,1.25,\(0.5 * (1 - Foundation.cos(2 * Double.pi / 20))),0.001")
    }

    @Test("SVG written atomically to --output, format taken from the extension")
    func svgFile() throws {
        let directory = try AnnealProcess.temporaryDirectory()
        let path = directory.appendingPathComponent("plot.svg").path
        let result = try AnnealProcess.run(["schedule", "--config", "examples/warm_restart_config.json", "--output", path])
        #expect(result.status == 0)
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        #expect(svg.hasPrefix("<svg"))
        #expect(svg.contains("↻ 88"))
        #expect(result.standardError.contains("wrote \(path): 150 rows"))
        #expect(result.standardOutput.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["plot.svg"])
    }

    @Test("the learning-rate schedule gets an lr column and its warnings")
    func learningRate() throws {
        let config = try AnnealProcess.writeConfig(#"{"training": {"num_epochs": 50, "beta_scheduler_type": "constant", "learning_rate": 0.001, "lr_scheduler": {"type": "cosine_warm_restarts", "T_0": 10, "T_mult": 2}}}"#, named: "lr.json")
        let result = try AnnealProcess.run(["schedule", "--config", config.path, "--format", "csv"])
        #expect(result.status == 0)
        #expect(result.standardOutput.hasPrefix("epoch,beta,lr\n0,1,0.001\n"))
        #expect(result.standardError.contains("lr: the run ends 50.0% of the way through warm-restart cycle 3"))
    }

    /// Bad input: a clear message on standard error naming the file (and key, and value), exit status 1,
    /// no usage dump, no stack trace.
    static let badInputs: [(String, [String])] = [
        (#"{"beta_scheduler_type": "cyclic", "num_epochs": 10}"#, [":1:25: beta_scheduler_type: unknown beta_scheduler_type \"cyclic\"; did you mean 'cyclical'?"]),
        ("{\"num_epochs\": 10,\n \"beta_scheduler_type\": \"cyclical\",\n \"beta_scheduler_params\": {\"cycle_length\": -3}}", [":3:44: beta_scheduler_params.cycle_length: must be greater than 0, got -3"]),
        ("{\"num_epochs\": 10,}", [":1:19: invalid JSON: trailing comma before '}'"]),
        ("", [":1:1: the file is empty; expected a JSON object"]),
        (#"{"beta_scheduler_type": "linear", "beta_scheduler_params": {"warmup_epochs": 5}}"#, ["gives no training.num_epochs; say how many epochs to show with --epochs N"]),
    ]

    @Test("bad configs: a clear error naming file, position, key and value; exit 1; no trace", arguments: badInputs)
    func badConfig(text: String, phrases: [String]) throws {
        let directory = try AnnealProcess.temporaryDirectory()
        let config = directory.appendingPathComponent("bad.json")
        try text.write(to: config, atomically: true, encoding: .utf8)
        let output = directory.appendingPathComponent("out.csv")
        try "previous contents\n".write(to: output, atomically: true, encoding: .utf8)
        let result = try AnnealProcess.run(["schedule", "--config", config.path, "--output", output.path])
        #expect(result.status == 1)
        #expect(result.standardError.hasPrefix("Error: "))
        for phrase in phrases {
            #expect(result.standardError.contains(phrase), "\(result.standardError)")
        }
        for forbidden in ["Usage:", "Fatal error", "Stack dump", "Current stack trace"] {
            #expect(!result.standardError.contains(forbidden))
        }
        // The file that was there is untouched: nothing half-written.
        #expect(try String(contentsOf: output, encoding: .utf8) == "previous contents\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["bad.json", "out.csv"])
    }

    @Test("a run config without num_epochs shows the trainer's default 20 epochs")
    func runConfigDefaultLength() throws {
        let config = try AnnealProcess.writeConfig(#"{"data": {"source": "shapes"}, "training": {"beta_scheduler_type": "linear", "beta_scheduler_params": {"warmup_epochs": 5}}}"#)
        let result = try AnnealProcess.run(["schedule", "--config", config.path, "--format", "csv"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.split(separator: "\n").count == 21)  // header + epochs 0…19
    }

    @Test("a run config is read as anneal train reads it: the default length, and its errors before a run is spent")
    func runConfigReadAsTrainReadsIt() throws {
        // Without num_epochs a run config shows the trainer's default 20 epochs (it used to fall back to "gives
        // no training.num_epochs").
        let config = try AnnealProcess.writeConfig(#"{"data": {"source": "shapes"}, "training": {"beta_scheduler_type": "linear", "beta_scheduler_params": {"warmup_epochs": 5}}}"#)
        let result = try AnnealProcess.run(["schedule", "--config", config.path, "--format", "csv"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.split(separator: "\n").count == 21)
        // A typo in the model section is the error anneal train would give, not a table of a run that cannot start.
        let typo = try AnnealProcess.writeConfig(#"{"data": {"source": "shapes"}, "model": {"latent_dims": 4}, "training": {"beta_scheduler_type": "linear", "beta_scheduler_params": {"warmup_epochs": 5}}}"#)
        let failed = try AnnealProcess.run(["schedule", "--config", typo.path, "--format", "csv"])
        #expect(failed.status == 1 && failed.standardOutput.isEmpty)
        #expect(failed.standardError.contains("model.latent_dims: unknown key for the model section; did you mean 'latent_dim'?"), "\(failed.standardError)")
    }

    @Test("a missing config file")
    func missingFile() throws {
        let result = try AnnealProcess.run(["schedule", "--config", "no/such.json"])
        #expect(result.status == 1)
        #expect(result.standardError == "Error: no/such.json: no such file\n")
    }

    @Test("bad flags: usage errors with what is allowed, exit 64")
    func badFlags() throws {
        let epochs = try AnnealProcess.run(["schedule", "--config", "examples/warm_restart_config.json", "--epochs", "0"])
        #expect(epochs.status == 64)
        #expect(epochs.standardError.contains("--epochs must be at least 1, got 0"))
        let format = try AnnealProcess.run(["schedule", "--config", "examples/warm_restart_config.json", "--format", "png"])
        #expect(format.status == 64)
        #expect(format.standardError.contains("'png'") && format.standardError.contains("table") && format.standardError.contains("svg"))
        let guess = try AnnealProcess.run(["schedule", "--config", "examples/warm_restart_config.json", "--output", "plot.png"])
        #expect(guess.status == 64)
        #expect(guess.standardError.contains("cannot tell the format of --output plot.png"))
        let steps = try AnnealProcess.run(["schedule", "--config", "examples/warm_restart_config.json", "--steps-per-epoch", "-2"])
        #expect(steps.status == 64 && steps.standardError.contains("--steps-per-epoch must be at least 1, got -2"))
        // An explicit format that contradicts the file's extension is refused, never CSV in a .svg file.
        let contradiction = try AnnealProcess.run(["schedule", "--config", "examples/warm_restart_config.json", "--format", "csv", "--output", "plot.svg"])
        #expect(contradiction.status == 64 && contradiction.standardError.contains("--format csv contradicts --output plot.svg, whose extension means svg"))
        #expect(!FileManager.default.fileExists(atPath: "plot.svg"))
    }

    @Test("--output into a missing folder creates it; a path under a file is an error naming it, not a crash")
    func unwritableOutput() throws {
        let folder = try AnnealProcess.temporaryDirectory().path
        let result = try AnnealProcess.run(["schedule", "--config", "examples/warm_restart_config.json", "--output", folder + "/new/sub/plot.svg"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(FileManager.default.fileExists(atPath: folder + "/new/sub/plot.svg"))
        try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/afile"))
        let underFile = try AnnealProcess.run(["schedule", "--config", "examples/warm_restart_config.json", "--output", folder + "/afile/plot.svg"])
        #expect(underFile.status == 1)
        #expect(underFile.standardError.hasSuffix("Error: cannot write \(folder)/afile/plot.svg: \(folder)/afile is a file, not a folder\n"))
    }

    @Test("help lists the schedule types")
    func help() throws {
        let result = try AnnealProcess.run(["schedule", "--help"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("warm_restart") && result.standardOutput.contains("cosine_warm_restarts"))
    }
}

@Suite("anneal bench")
struct BenchCommandTests {
    @Test("a short run prints one JSON object with throughput, memory and no allocations after warm-up")
    func json() throws {
        for model in ["ternary", "mlp-784"] {
            let result = try AnnealProcess.run(["bench", "--model", model, "--epochs", "1", "--examples", "800", "--format", "json"])
            #expect(result.status == 0, "\(result.standardError)")
            let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
            for key in ["samples_per_second", "step_samples_per_second", "evaluation_seconds", "seconds", "step_ms", "peak_rss_mb", "gflops"] {
                #expect((object?[key] as? Double ?? 0) > 0, "\(model): \(key)")
            }
            // The steps alone are the timed seconds without the end-of-epoch evaluation: faster than the whole.
            let whole = object?["samples_per_second"] as? Double ?? 0, steps = object?["step_samples_per_second"] as? Double ?? 0
            #expect(steps > whole, "\(model): \(steps) vs \(whole)")
            #expect((object?["evaluation_seconds"] as? Double ?? 1) < (object?["seconds"] as? Double ?? 0), "\(model)")
            // Matrix products are timed inside full-batch steps: part of the step, one BLAS call per layer forward,
            // one per weight gradient and one per input gradient but the first layer's (not needed): 6 + 6 + 5 on
            // ternary's six layers, 4 + 4 + 3 on mlp-784's four.
            let product = object?["product_ms"] as? Double ?? 0, step = object?["step_alone_ms"] as? Double ?? 0
            #expect(product > 0 && product < step, "\(model): \(product) of \(step) ms")
            #expect(object?["products_per_step"] as? Double == (model == "ternary" ? 17 : 11), "\(model)")
            #expect((object?["product_gflops"] as? Double ?? 0) > 0, "\(model)")
            #expect(object?["model"] as? String == model)
            #expect(object?["allocations_after_warmup"] as? Int == 0)
            #expect((object?["final_loss"] as? Double)?.isFinite == true)
        }
    }

    @Test("bad flags name what is allowed")
    func badFlags() throws {
        let model = try AnnealProcess.run(["bench", "--model", "resnet"])
        #expect(model.status == 64)
        #expect(model.standardError.contains("mlp-784") && model.standardError.contains("ternary"))
        let threads = try AnnealProcess.run(["bench", "--threads", "0"])
        #expect(threads.status == 64 && threads.standardError.contains("--threads must be at least 1, got 0"))
        let examples = try AnnealProcess.run(["bench", "--model", "ternary", "--examples", "20000"])
        #expect(examples.status == 64 && examples.standardError.contains("--examples must be in 1...19683"))
    }
}
