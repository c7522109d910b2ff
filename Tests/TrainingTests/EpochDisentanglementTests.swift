@testable import Data
import Evaluation
import Foundation
import JSONConfig
import RunLog
import Testing
@testable import Training

@Suite("Epoch disentanglement (logging.disentanglement_every)")
struct EpochDisentanglementTests {
    /// A dsprites run small enough for a test: 600 images, an MLP, 3 epochs of 3 steps.
    static func dsprites(every: Int?, epochs: Int = 3) -> String {
        #"""
        {"data": {"source": "dsprites", "resolution": 32, "subset": 600, "validation_fraction": 0.2},
         "model": {"type": "vae", "architecture": "mlp", "hidden_sizes": [32], "latent_dim": 4},
         "training": {"num_epochs": \#(epochs), "steps_per_epoch": 3, "batch_size": 32, "learning_rate": 0.003, "seed": 3}\#(every.map { #", "logging": {"disentanglement_every": \#($0)}"# } ?? "")}
        """#
    }

    /// Each metrics.jsonl line without the members that differ between two runs of the same training:
    /// the wall-clock seconds and, when asked, the disentanglement scores.
    static func lines(_ directory: String, dropping: Set<String> = ["seconds"]) throws -> [JSONValue] {
        try String(contentsOfFile: directory + "/metrics.jsonl", encoding: .utf8).split(separator: "\n").map { line in
            let value = try JSONParser.parse(String(line))
            return JSONValue(.object((value.members ?? []).filter { !dropping.contains($0.key) }))
        }
    }

    /// Records, at each epoch's end, the figures `EpochDisentanglement` gives for the model as it is then.
    final class Recomputer: TrainingObserver {
        let trainer: Trainer
        var figures: [Int: [(block: String, figures: [(name: String, value: Double?)])]] = [:]
        init(_ trainer: Trainer) { self.trainer = trainer }
        func epochFinished(_ metrics: EpochMetrics) {
            figures[metrics.epoch] = try? EpochDisentanglement.figures(model: trainer.model, dataset: trainer.dataset, conditioned: false,
                                                                       context: trainer.validationContext())
        }
    }

    @Test("scored at epoch 0 and every n-th epoch after it")
    func due() {
        // every 2: 0, 2, 4; every 4: 0, 4, 8 (not the run's last epoch: a run extended with --epochs scores what
        // an uninterrupted one would); every 1: all.
        #expect((0..<6).filter { EpochDisentanglement.isDue(epoch: $0, every: 2) } == [0, 2, 4])
        #expect((0..<10).filter { EpochDisentanglement.isDue(epoch: $0, every: 4) } == [0, 4, 8])
        #expect((0..<3).filter { EpochDisentanglement.isDue(epoch: $0, every: 1) } == [0, 1, 2])
        // The start line says 1,500 and 1,000 examples: the sizes it records.
        #expect(EpochDisentanglement.sizes.trainCount == 1_000 && EpochDisentanglement.sizes.testCount == 500)
    }

    @Test("logging.disentanglement_every: read, written back only when set, 0 and fractions refused with the key")
    func config() throws {
        let set = try TrainingFixtures.configuration(Self.dsprites(every: 2))
        #expect(set.logging.disentanglementEvery == 2 && set.json["logging"]?["disentanglement_every"] == .number(2))
        let again = try RunConfiguration.parse(try JSONParser.parse(JSONWriter.pretty(set.json)))
        #expect(again.json == set.json)
        // Absent: nothing is written, so configs and sweep trial ids from before the key are unchanged.
        let unset = try TrainingFixtures.configuration(Self.dsprites(every: nil))
        #expect(unset.logging.disentanglementEvery == nil && unset.json["logging"]?["disentanglement_every"] == nil)
        for bad in ["0", "-1", "1.5", "\"2\""] {
            #expect { _ = try TrainingFixtures.configuration(Self.dsprites(every: nil).replacingOccurrences(of: #""seed": 3}"#, with: #""seed": 3}, "logging": {"disentanglement_every": \#(bad)}"#)) } throws: {
                "\($0)".contains("disentanglement_every")
            }
        }
    }

    @Test("a dsprites run records MIG, SAP and the unsupervised scores of the model at epochs 0 and 2 of 3, in metrics.jsonl, metrics.csv, TensorBoard and the report; training is unchanged, and a resumed run records the same")
    func dspritesRun() throws {
        let configuration = try TrainingFixtures.configuration(Self.dsprites(every: 2))
        let directory = TrainingFixtures.temporaryDirectory() + "/run"
        let run = try TrainingRun.start(configuration, in: directory)
        #expect(run.notes.contains { $0.hasPrefix("logging.disentanglement_every: MIG, SAP and the unsupervised scores of 1,500 fixed examples are recorded at epoch 0 and every 2 epochs after it") })
        let recomputer = Recomputer(run.trainer)
        #expect(try run.run(observers: [recomputer]).outcome == .completed)
        #expect(run.warnings.isEmpty && run.trainer.disentanglementFailure == nil)

        // metrics.jsonl: the scores on epochs 0 and 2 only, exactly those of the model at that epoch's end.
        let lines = try Self.lines(directory)
        #expect(lines.count == 3 && lines[1]["disentanglement"] == nil)
        for epoch in [0, 2] {
            let recorded = try #require(lines[epoch]["disentanglement"]?["whole_code"])
            let expected = try #require(recomputer.figures[epoch]?.first)
            #expect(expected.block == "whole_code" && expected.figures.map(\.name) == ["mig", "sap", "gaussian_total_correlation", "mean_mutual_information"])
            for (name, value) in expected.figures {
                #expect(recorded[name] == value.map { JSONValue.number($0) } ?? .null, "epoch \(epoch) \(name)")
            }
            let mig = try #require(expected.figures[0].value)
            #expect(mig >= 0 && mig <= 1)
        }
        // metrics.csv: the columns from the first line, empty on the epoch that was not scored.
        let csv = CSVTable.records(try String(contentsOfFile: directory + "/metrics.csv", encoding: .utf8))
        let column = try #require(csv[0].firstIndex(of: "mig"))
        #expect(csv[0].contains("sap") && csv[0].contains("gaussian_total_correlation"))
        #expect(!csv[1][column].isEmpty && csv[2][column].isEmpty && !csv[3][column].isEmpty)
        // TensorBoard: Disentanglement/<figure> at epochs 0 and 2.
        let events = try #require(try FileManager.default.contentsOfDirectory(atPath: directory).first { $0.contains("tfevents") })
        let scalars = try EventFileReader.scalars(directory + "/" + events).filter { $0.tag == "Disentanglement/mig" }
        #expect(scalars.map(\.step) == [0, 2])
        // The report plots them, and tabulates disentanglement.json's end-of-run scores.
        let html = try String(contentsOfFile: directory + "/report.html", encoding: .utf8)
        // The section's note, the chart's title and its heading: three times.
        #expect(html.components(separatedBy: "MIG and SAP against the data").count == 4 && html.contains("Unsupervised scores of the code"))
        #expect(html.contains("<td>whole code</td><td>MIG</td>"))

        // The same training without the scores (a trainer alone: no run folder, no end-of-run scoring): every
        // other number equal, bit for bit.
        final class Collector: TrainingObserver {
            var lines: [JSONValue] = []
            func epochFinished(_ metrics: EpochMetrics) {
                lines.append(JSONValue(.object((metrics.json.members ?? []).filter { $0.key != "seconds" })))
            }
        }
        let plain = try TrainingFixtures.configuration(Self.dsprites(every: nil))
        let collector = Collector()
        _ = try Trainer(configuration: plain, dataset: try plain.data.load(), runDirectory: nil).run(observers: [collector])
        #expect(collector.lines == (try Self.lines(directory, dropping: ["seconds", "disentanglement"])))

        // Stopped after epoch 1 and resumed: the same lines, the scores included.
        let resumedDirectory = TrainingFixtures.temporaryDirectory() + "/resumed"
        let first = try TrainingRun.start(configuration, in: resumedDirectory)
        #expect(try first.run { first.trainer.epoch >= 2 }.outcome == .interrupted)
        let resumed = try TrainingRun.resume(resumedDirectory)
        #expect(try resumed.run().outcome == .completed)
        #expect(try Self.lines(resumedDirectory) == lines)
    }

    @Test("data without factors records the unsupervised scores alone, and says so")
    func withoutFactors() throws {
        let configuration = try TrainingFixtures.configuration(TrainingFixtures.small(epochs: 2).replacingOccurrences(of: #""seed": 7}}"#, with: #""seed": 7}, "logging": {"disentanglement_every": 1}}"#))
        let directory = TrainingFixtures.temporaryDirectory() + "/run"
        let run = try TrainingRun.start(configuration, in: directory)
        #expect(run.notes.contains { $0.contains("has no factors") && $0.contains("only the unsupervised scores") })
        _ = try run.run()
        let lines = try Self.lines(directory)
        for line in lines {
            let figures = try #require(line["disentanglement"]?["whole_code"]?.members)
            #expect(figures.map(\.key) == ["gaussian_total_correlation", "mean_mutual_information"])
        }
        let html = try String(contentsOfFile: directory + "/report.html", encoding: .utf8)
        // The section's note names MIG and SAP once; a chart of them would name them again in its title.
        #expect(html.contains("Unsupervised scores of the code") && html.components(separatedBy: "MIG and SAP against").count == 2)
    }

    @Test("the pictures and report.html are rewritten at each periodic checkpoint while the run trains")
    func refreshedAtCheckpoints() throws {
        let directory = TrainingFixtures.temporaryDirectory() + "/run"
        let run = try TrainingRun.start(try TrainingFixtures.configuration(TrainingFixtures.small(epochs: 3)), in: directory)
        // Every checkpoint (the default keeps rewrites to a twentieth of the time, and these epochs are short).
        run.reportOverheadLimit = .infinity
        /// At the first step of epochs 1 and 2: what the folder holds then.
        final class Watcher: TrainingObserver {
            let directory: String
            var seen: [(epoch: Int, report: String?, samples: Bool)] = []
            init(_ directory: String) { self.directory = directory }
            func stepFinished(_ step: StepMetrics) {
                guard step.batch == 1, step.epoch > 0 else { return }
                seen.append((step.epoch, try? String(contentsOfFile: directory + "/report.html", encoding: .utf8),
                             FileManager.default.fileExists(atPath: directory + "/" + RunPictures.samplesFile)))
            }
        }
        let watcher = Watcher(directory)
        _ = try run.run(observers: [watcher])
        #expect(watcher.seen.map(\.epoch) == [1, 2])
        for (epoch, report, samples) in watcher.seen {
            // The summary table's epochs column counts the epochs written so far.
            #expect(report?.contains("<td>\(epoch)</td>") == true && report?.contains("Samples and reconstructions") == true, "epoch \(epoch)")
            // Shown as training, not as a run that stopped without a clean exit (it has no summary.json yet).
            #expect(report?.contains("<td>running</td>") == true && report?.contains("stopped without a clean exit") == false, "epoch \(epoch)")
            #expect(samples)
        }
        #expect(run.warnings.isEmpty)
    }

    @Test("a metric that cannot be computed is null and the others are kept: MIG of a one-dimensional global block")
    func oneDimensionalBlock() throws {
        let configuration = try TrainingFixtures.configuration(Self.dsprites(every: 1)
            .replacingOccurrences(of: #""type": "vae", "architecture": "mlp", "hidden_sizes": [32], "latent_dim": 4"#,
                                  with: #""type": "hierarchical_cvae", "architecture": "mlp", "hidden_sizes": [32], "global_latent_dim": 1, "local_latent_dim": 3"#))
        let trainer = try Trainer(configuration: configuration, dataset: try configuration.data.load(), runDirectory: nil)
        let figures = try EpochDisentanglement.figures(model: trainer.model, dataset: trainer.dataset, conditioned: true, context: trainer.validationContext())
        #expect(figures.map(\.block) == ["whole_code", "global", "local"])
        for block in figures {
            #expect(block.figures.map(\.name) == ["mig", "sap", "gaussian_total_correlation", "mean_mutual_information"])
            let (mig, sap) = (block.figures[0].value, block.figures[1].value)
            // One dimension has no second-largest mutual information or predictability: MIG and SAP are not defined.
            #expect(block.block == "global" ? mig == nil && sap == nil : mig != nil && sap != nil, "\(block.block): \(String(describing: mig)), \(String(describing: sap))")
            #expect(block.figures[2].value != nil, "\(block.block) total correlation")
        }
    }

    @Test("metrics.csv gains the columns of a line that brings new ones, and keeps every row: the CSV holds what the JSON lines hold")
    func widenedCSV() throws {
        let directory = TrainingFixtures.temporaryDirectory()
        let log = try MetricsLog(directory: directory)
        func line(_ epoch: Int, mig: Double?) -> EpochMetrics {
            var metrics = EpochMetrics(epoch: epoch, globalStep: epoch + 1, loss: 1, reconstruction: 1, kl: [("kl", 0.5)], klPerDimension: [],
                                       beta: [("beta", 1)], learningRate: 0.001, validationKL: [], activeUnits: [], skippedSteps: 0, meanGradientNorm: 0, seconds: 0)
            if let mig { metrics.disentanglement = [("whole_code", [("mig", mig)])] }
            return metrics
        }
        log.epochFinished(line(0, mig: nil))
        log.epochFinished(line(1, mig: 0.25))
        log.epochFinished(line(2, mig: nil))
        #expect(log.writeFailure == nil)
        let records = CSVTable.records(try String(contentsOfFile: directory + "/metrics.csv", encoding: .utf8))
        #expect(records.count == 4 && records.allSatisfy { $0.count == records[0].count })
        let column = try #require(records[0].firstIndex(of: "mig"))
        #expect(records.map { $0[column] } == ["mig", "", "0.25", ""])
        #expect(records.map { $0[records[0].firstIndex(of: "epoch")!] } == ["epoch", "0", "1", "2"])
    }

    @Test("the end's scores: a run killed while scoring lacks them and --resume's path computes them; disentanglement_at_end false writes none; null disentanglement_every is none")
    func endOfRunScores() throws {
        let configuration = try TrainingFixtures.configuration(Self.dsprites(every: nil, epochs: 1))
        let directory = TrainingFixtures.temporaryDirectory() + "/run"
        let run = try TrainingRun.start(configuration, in: directory)
        _ = try run.run()
        let file = directory + "/" + RunDisentanglement.file
        #expect(FileManager.default.fileExists(atPath: file) && !run.lacksDisentanglement)
        let written = try String(contentsOfFile: file, encoding: .utf8)
        // As a kill -9 while scoring leaves it: summary.json says completed, no scores.
        try FileManager.default.removeItem(atPath: file)
        let resumed = try TrainingRun.resume(directory)
        #expect(resumed.trainer.hasFinished && resumed.lacksDisentanglement)
        try FileManager.default.removeItem(atPath: directory + "/report.html")
        #expect(resumed.completeDisentanglement().isEmpty)
        #expect(FileManager.default.fileExists(atPath: directory + "/report.html"))
        #expect(try String(contentsOfFile: file, encoding: .utf8) == written)
        // A stop signal before the first metric: no file, and the warning says how to get them.
        try FileManager.default.removeItem(atPath: file)
        let warning = try #require(resumed.scoreDisentanglement(shouldStop: { true }))
        #expect(warning.contains("stopped by a signal") && warning.contains("anneal train --resume") && !FileManager.default.fileExists(atPath: file))

        let off = try TrainingFixtures.configuration(Self.dsprites(every: nil, epochs: 1).replacingOccurrences(of: #""seed": 3}"#, with: #""seed": 3}, "logging": {"disentanglement_at_end": false, "disentanglement_every": null}"#))
        #expect(!off.logging.disentanglementAtEnd && off.logging.disentanglementEvery == nil && off.json["logging"]?["disentanglement_at_end"] == .bool(false))
        let offDirectory = TrainingFixtures.temporaryDirectory() + "/off"
        let offRun = try TrainingRun.start(off, in: offDirectory)
        _ = try offRun.run()
        #expect(!FileManager.default.fileExists(atPath: offDirectory + "/" + RunDisentanglement.file) && !offRun.lacksDisentanglement)
    }

    @Test("a factor DCI's and SAP's classifiers cannot take (400 values) leaves those two out with the reason; MIG and the unsupervised scores are kept")
    func metricLeftOut() throws {
        let trainer = try RunDisentanglementTests.trainer("vae")
        guard let factors = trainer.dataset.factors else { Issue.record("dsprites has factors"); return }
        // The row index as a sixth factor: a value per example, more than a classifier per factor takes.
        var values = [Int32]()
        for row in 0..<trainer.dataset.count { for factor in 0..<factors.names.count { values.append(Int32(factors.value(row: row, factor: factor))) }; values.append(Int32(row)) }
        var dataset = trainer.dataset
        dataset.factors = DataFactors.table(values, names: factors.names + ["row"])
        // 400 training rows: 400 values of "row", more than the 256 a classifier per factor takes.
        var sizes = RunDisentanglementTests.smallSizes
        (sizes.trainCount, sizes.testCount) = (400, 150)
        let (blocks, notes) = try RunDisentanglement.evaluate(model: trainer.model, dataset: dataset, conditioned: false, context: trainer.validationContext(),
                                                              metrics: [.mig, .dci, .sap, .unsupervised], sizes: sizes)
        #expect(blocks[0].results.map(\.key) == ["mig", "unsupervised"])
        #expect(notes.contains { $0.hasPrefix("DCI") && $0.hasSuffix("left out") } && notes.contains { $0.hasPrefix("SAP") && $0.hasSuffix("left out") }, "\(notes)")
    }
}
