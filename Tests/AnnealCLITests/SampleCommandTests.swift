import Foundation
import Testing

@Suite("anneal sample and anneal evaluate")
struct SampleCommandTests {
    /// A 2-epoch run of `model` on `data`, returning its folder.
    static func run(_ model: String = "vae", data: String = "shapes") throws -> String {
        let config = try AnnealProcess.writeConfig(#"""
            {"data": {"source": "\#(data)", "validation_fraction": 0.2},
             "model": {"type": "\#(model)", "hidden_sizes": [32], "latent_dim": 3},
             "training": {"num_epochs": 2, "batch_size": 256, "learning_rate": 0.003}}
            """#)
        let out = config.deletingLastPathComponent().appendingPathComponent("run").path
        let result = try AnnealProcess.run(["train", "--config", config.path, "--out", out])
        #expect(result.status == 0, "\(result.standardError)")
        return out
    }

    /// The shape of a .npy file, read from its header.
    static func npyShape(_ path: String) throws -> String {
        let header = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)).prefix(128), as: UTF8.self)
        return String(header[header.range(of: "'shape': ")!.upperBound...].prefix { $0 != ")" }) + ")"
    }

    @Test("images: a .npy shaped like the data's images, a PNG grid, the latent codes; an interpolation")
    func images() throws {
        let run = try Self.run()
        let output = run + "/picked.npy"
        let result = try AnnealProcess.run(["sample", run, "--count", "16", "--output", output])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(try Self.npyShape(output) == "(16, 16, 16)")
        #expect(try Self.npyShape(run + "/picked.latents.npy") == "(16, 3)")
        // 8 columns of 16×16 images at scale 4 with 2-pixel padding: 8·(64 + 2) + 2 = 530 by 2·66 + 2 = 134.
        let png = try Data(contentsOf: URL(fileURLWithPath: run + "/picked.png"))
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 530 && height == 134)
        let line = try AnnealProcess.run(["sample", run, "--interpolate", "0", "5", "--steps", "4", "--output", run + "/line.npy"])
        #expect(line.status == 0 && line.standardError.contains("4 points between examples 0 and 5"))
        #expect(try Self.npyShape(run + "/line.npy") == "(4, 16, 16)")
        // Without --output, samples go to RUN/samples/.
        #expect(try AnnealProcess.run(["sample", run]).status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: run + "/samples").contains { $0.hasSuffix(".png") })
    }

    @Test("--traverse: a grid per latent block, one row per dimension by KL; a hierarchical model's blocks apart; bad requests named")
    func traversals() throws {
        let run = try Self.run()
        let result = try AnnealProcess.run(["sample", run, "--traverse", "--steps", "5", "--output", run + "/walk.npy"])
        #expect(result.status == 0, "\(result.standardError)")
        // 3 dimensions × 5 values of 16 × 16 images; the PNG 5·66 + 2 = 332 by 3·66 + 2 = 200.
        #expect(try Self.npyShape(run + "/walk.npy") == "(15, 256)")
        let png = try Data(contentsOf: URL(fileURLWithPath: run + "/walk.png"))
        #expect(png[16..<20].reduce(0) { $0 << 8 | Int($1) } == 332 && png[20..<24].reduce(0) { $0 << 8 | Int($1) } == 200)
        #expect(result.standardOutput.contains("5 values from −3.0 to 3.0") && result.standardOutput.contains("row 0: kl dimension ")
                && result.standardOutput.contains(" nats"))
        let quantiles = try AnnealProcess.run(["sample", run, "--traverse", "--quantiles", "--example", "3", "--output", run + "/q.npy"])
        #expect(quantiles.status == 0 && quantiles.standardOutput.contains("from example 3's posterior mean") && quantiles.standardOutput.contains("quantiles"))
        let hierarchical = try Self.run("hierarchical_cvae")
        let blocks = try AnnealProcess.run(["sample", hierarchical, "--traverse", "--output", hierarchical + "/walk.npy"])
        #expect(blocks.status == 0, "\(blocks.standardError)")
        #expect(FileManager.default.fileExists(atPath: hierarchical + "/walk-global.png") && FileManager.default.fileExists(atPath: hierarchical + "/walk-local.png"))
        for (arguments, phrase) in [(["--traverse", "--codes", "z.npy"], "give one"), (["--example", "2"], "they need --traverse"),
                                    (["--traverse", "--range", "0"], "--range must be a positive number"), (["--traverse", "--example", "99999"], "--example 99999: the data has examples 0…")] {
            let bad = try AnnealProcess.run(["sample", run] + arguments)
            #expect(bad.status != 0 && bad.standardError.contains(phrase), "\(arguments): \(bad.standardError)")
        }
        let ternary = try Self.run(data: "ternary_operations")
        let refused = try AnnealProcess.run(["sample", ternary, "--traverse"])
        #expect(refused.status == 1 && refused.standardError.contains("--traverse draws images"))
    }

    @Test("ternary operations: the tables are printed and saved as digits")
    func tables() throws {
        let run = try Self.run(data: "ternary_operations")
        let output = run + "/ops.npy"
        let result = try AnnealProcess.run(["sample", run, "--count", "5", "--output", output])
        #expect(result.status == 0)
        #expect(try Self.npyShape(output) == "(5, 9)")
        #expect(result.standardOutput.hasPrefix("#0 ") && result.standardOutput.split(separator: "\n").count >= 8)
    }

    @Test("classes: a conditional model without --class samples every class in turn with the labels beside; --class K one class; an unconditional model refuses --class, an unknown class is named")
    func classes() throws {
        let conditional = try Self.run("cvae")
        let every = try AnnealProcess.run(["sample", conditional, "--count", "3", "--output", conditional + "/all.npy"])
        #expect(every.status == 0, "\(every.standardError)")
        #expect(every.standardError.contains("12 samples at temperature 1.0, 3 of each class (0, 1, 2, 3; --class K for one)"), "\(every.standardError)")
        #expect(try Self.npyShape(conditional + "/all.npy") == "(12, 16, 16)" && Self.npyShape(conditional + "/all.labels.npy") == "(12,)")
        let labels = try Data(contentsOf: URL(fileURLWithPath: conditional + "/all.labels.npy")).suffix(48)
        #expect(labels.withUnsafeBytes { Array($0.bindMemory(to: Int32.self)) } == [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3])
        #expect(try AnnealProcess.run(["sample", conditional, "--class", "2", "--output", conditional + "/c.npy"]).status == 0)
        let unknown = try AnnealProcess.run(["sample", conditional, "--class", "7"])
        #expect(unknown.status == 1 && unknown.standardError.contains("--class 7: the data's classes are 0, 1, 2, 3"))
        let plain = try Self.run()
        let refused = try AnnealProcess.run(["sample", plain, "--class", "1"])
        #expect(refused.status == 1 && refused.standardError.contains("does not condition on labels"))
    }

    @Test("anneal evaluate prints a verdict per term and writes JSON that parses")
    func evaluate() throws {
        let run = try Self.run()
        let table = try AnnealProcess.run(["evaluate", run, "--samples", "10"])
        #expect(table.status == 0, "\(table.standardError)")
        #expect(table.standardOutput.contains("kl: ") && table.standardOutput.contains("log p(x) ≥") && table.standardOutput.contains("precision"))
        let json = try AnnealProcess.run(["evaluate", run, "--samples", "0", "--format", "json", "--output", run + "/evaluation.json"])
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: run + "/evaluation.json"))) as? [String: Any]
        #expect(object?["terms"] is [Any] && object?["generator"] is [Any])
        let missing = try AnnealProcess.run(["evaluate", "/no/such/run"])
        #expect(missing.status == 1 && missing.standardError == "Error: /no/such/run: no such run folder or checkpoint\n")
    }

    @Test("a per-class run: trained generator by generator, sampled by class or all at once, evaluated together")
    func perClass() throws {
        let config = try AnnealProcess.writeConfig(#"""
            {"data": {"source": "shapes", "validation_fraction": 0.2},
             "model": {"type": "vae", "hidden_sizes": [16], "latent_dim": 2, "granularity": "per_class"},
             "training": {"num_epochs": 1, "batch_size": 256, "learning_rate": 0.003}}
            """#)
        let run = config.deletingLastPathComponent().appendingPathComponent("run").path
        let trained = try AnnealProcess.run(["train", "--config", config.path, "--out", run])
        #expect(trained.status == 0, "\(trained.standardError)")
        #expect(trained.standardOutput.hasPrefix("training 4 generators (model.granularity per_class) → \(run)\n\ngenerator class_0 (class 0)\ntraining vae"))
        #expect(trained.standardOutput.hasSuffix("4 of 4 generators finished; side by side: \(run)/summary.json, \(run)/report.html\n"))
        let again = try AnnealProcess.run(["train", "--resume", run])
        #expect(again.status == 0 && again.standardOutput.hasPrefix("resuming 4 generators (model.granularity per_class) → \(run); 4 already finished\n"))

        let one = try AnnealProcess.run(["sample", run, "--class", "2", "--count", "4", "--output", run + "/two.npy"])
        #expect(one.status == 0 && one.standardError.hasPrefix("class 2 is generator class_2 (\(run)/generators/class_2)\n"))
        #expect(try Self.npyShape(run + "/two.npy") == "(4, 16, 16)")
        let all = try AnnealProcess.run(["sample", run, "--count", "3", "--output", run + "/all.npy"])
        #expect(all.status == 0 && all.standardError.contains("12 samples at temperature 1.0 from 4 generators (rows 0–2: generator class_0; rows 3–5: generator class_1;"))
        #expect(try Self.npyShape(run + "/all.npy") == "(12, 16, 16)")
        let unknown = try AnnealProcess.run(["sample", run, "--class", "9"])
        #expect(unknown.status == 1 && unknown.standardError == "Error: --class 9: no generator of \(run) holds it; its classes are 0, 1, 2, 3\n")

        let evaluation = try AnnealProcess.run(["evaluate", run, "--samples", "0"])
        #expect(evaluation.status == 0, "\(evaluation.standardError)")
        #expect(evaluation.standardOutput.contains("generator class_3 (class 3): ") && evaluation.standardOutput.contains("all generators together"))

        // anneal report on the set overlays its generators (it failed: the set's folder has no metrics.jsonl),
        // also when a killed set has only some: here the last two generators' folders are gone.
        try FileManager.default.removeItem(atPath: run + "/report.html")
        let report = try AnnealProcess.run(["report", run])
        #expect(report.status == 0 && report.standardError == "wrote \(run)/report.html\n", "\(report.standardError)")
        #expect(try String(contentsOfFile: run + "/report.html", encoding: .utf8).contains("class_3"))
        for name in ["class_2", "class_3"] { try FileManager.default.removeItem(atPath: run + "/generators/" + name) }
        let partial = try AnnealProcess.run(["report", run, "--output", run + "/partial.html"])
        let html = try String(contentsOfFile: run + "/partial.html", encoding: .utf8)
        #expect(partial.status == 0 && html.contains("class_1") && !html.contains("class_2"), "\(partial.standardError)")
    }

    @Test("samplings without --output never share a file: two at once both keep their samples (in the same second one replaced the other)")
    func uniqueDefaultNames() throws {
        let run = try Self.run()
        let first = try AnnealProcess.run(["sample", run, "--count", "2"])
        let second = try AnnealProcess.run(["sample", run, "--count", "2"])
        #expect(first.status == 0 && second.status == 0, "\(first.standardError)\(second.standardError)")
        let files = try FileManager.default.contentsOfDirectory(atPath: run + "/samples").filter { $0.hasSuffix(".npy") && !$0.hasSuffix(".latents.npy") }
        #expect(files.count == 2, "\(files)")
    }

    @Test("requests too large for memory are refused with their size before anything is drawn; a temperature that overflows the decoder writes nothing")
    func sizesAndNonsense() throws {
        let run = try Self.run()
        let count = try AnnealProcess.run(["sample", run, "--count", "100000000000"])
        #expect(count.status == 1 && count.standardError.hasPrefix("Error: 100000000000 samples of 256 features would need") && count.standardError.contains("GB, more than half of this machine's"), "\(count.standardError)")
        let steps = try AnnealProcess.run(["sample", run, "--interpolate", "0", "1", "--steps", "100000000000"])
        #expect(steps.status == 1 && steps.standardError.contains("ask for fewer (--count, or --steps for --interpolate)"), "\(steps.standardError)")
        let samples = try AnnealProcess.run(["evaluate", run, "--samples", "100000000"])
        #expect(samples.status == 1 && samples.standardError.hasPrefix("Error: --samples 100000000 (importance samples for each example) would need") && samples.standardError.split(separator: "\n").count == 1, "\(samples.standardError)")
        let hot = try AnnealProcess.run(["sample", run, "--temperature", "1e308", "--output", run + "/hot.npy"])
        #expect(hot.status == 1 && hot.standardError.contains("the decoded samples are not finite"), "\(hot.standardError)")
        #expect(!FileManager.default.fileExists(atPath: run + "/hot.npy"))
    }

    @Test("a result that cannot be written is a failure: schedule and evaluate on a full standard output exit 1 with the reason",
          .enabled(if: FileManager.default.fileExists(atPath: "/dev/full")))
    func unwritableResult() throws {
        let run = try Self.run()
        for arguments in [["schedule", "--config", "examples/warm_restart_config.json"], ["evaluate", run, "--samples", "0"]] {
            let result = try AnnealProcess.run(executable: URL(fileURLWithPath: "/bin/sh"),
                                               ["-c", "exec \"$0\" \"$@\" > /dev/full", AnnealProcess.executable.path] + arguments)
            #expect(result.status == 1 && result.standardError.hasSuffix("Error: cannot write the result to standard output: No space left on device\n"), "\(arguments[0]): \(result.standardError)")
        }
    }

    @Test("--output never replaces what is not a regular file: a device is written through and stays a device, - is standard output",
          .enabled(if: getuid() == 0, "making a device file needs root"))
    func outputsThatAreNotFiles() throws {
        let run = try Self.run()
        let device = run + "/x.html"
        #expect(mknod(device, S_IFCHR | 0o666, dev_t(1 << 8 | 7)) == 0)  // /dev/full's numbers: every write fails
        let full = try AnnealProcess.run(["report", run, "--output", device])
        #expect(full.status == 1 && full.standardError == "Error: cannot write \(device): No space left on device\n", "\(full.standardError)")
        var info = stat()
        #expect(lstat(device, &info) == 0 && info.st_mode & S_IFMT == S_IFCHR, "the device was replaced")
        let standardOutput = try AnnealProcess.run(["report", run, "--output", "-"])
        #expect(standardOutput.status == 0 && standardOutput.standardOutput.hasPrefix("<!DOCTYPE html>") && standardOutput.standardError.isEmpty)
        let schedule = try AnnealProcess.run(["schedule", "--config", "examples/warm_restart_config.json", "--output", "-", "--format", "csv"])
        #expect(schedule.status == 0 && schedule.standardOutput.hasPrefix("epoch,"), "\(schedule.standardOutput.prefix(100))")
    }
}
