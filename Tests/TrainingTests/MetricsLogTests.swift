import Foundation
import JSONConfig
import RunLog
import Testing
@testable import Training

@Suite("Metrics files")
struct MetricsLogTests {
    @Test("metrics.csv: plain names for a one-term model, per-term names otherwise, counts as integers, empty for null")
    func columns() throws {
        let line = try JSONParser.parse(#"""
            {"epoch": 3, "global_step": 280, "loss": 10.5, "kl": {"kl": 1.25}, "kl_total": 1.25, "beta": {"beta": 0.5},
             "learning_rate": 0.001, "quantities": {"beta": 0.5, "lr": 0.001}, "quantity_means": {"beta": 0.625, "lr": 0.001},
             "validation_elbo": null, "active_units": {"kl": 7}, "kl_per_dimension": {"kl": [0.5, 0.75]},
             "controllers": {"beta": {"integral": 0.25}}, "skipped_steps": 0}
            """#)
        let columns = MetricsColumns.flatten(line)
        // learning_rate repeats the quantity lr: one column, lr.
        #expect(columns.map(\.name) == ["epoch", "global_step", "loss", "kl", "beta", "lr", "beta_mean", "lr_mean",
                                        "validation_elbo", "active_units", "kl_0", "kl_1", "beta_integral", "skipped_steps"])
        #expect(columns.map(\.value) == ["3", "280", "10.5", "1.25", "0.5", "0.001", "0.625", "0.001", "", "7", "0.5", "0.75", "0.25", "0"])
        #expect(MetricsColumns.flatten(try JSONParser.parse(#"{"learning_rate": 0.5}"#)).map(\.name) == ["learning_rate"])
        let hierarchical = MetricsColumns.flatten(try JSONParser.parse(#"{"kl": {"global": 1, "local": 2}, "active_units": {"global": 3, "local": 4}, "kl_per_dimension": {"local": [1, 2]}}"#))
        #expect(hierarchical.map(\.name) == ["kl_global", "kl_local", "active_units_global", "active_units_local", "kl_local_0", "kl_local_1"])
    }

    @Test("non-finite numbers are written as null, so strict JSON parsers read every file")
    func nonFinite() throws {
        let text = JSONWriter.compact(.object([("a", .number(.nan)), ("b", .number(.infinity)), ("c", .number(1.5))]))
        #expect(text == #"{"a":null,"b":null,"c":1.5}"#)
        #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) is [String: Any])
    }

    @Test("on resume a damaged metrics.jsonl is rebuilt: one line per epoch before the resume point, cut lines dropped, each repair said")
    func repair() throws {
        let directory = TrainingFixtures.temporaryDirectory()
        let lines = [#"{"epoch": 0, "loss": 3}"#, #"{"epoch": 1, "loss": 2.5}"#, #"{"epoch": 1, "loss": 2}"#, #"{"epoch": 3, "loss": 1}"#, #"{"epoch": 4, "lo"#]
        try (lines.joined(separator: "\n") + "\n").write(toFile: directory + "/metrics.jsonl", atomically: true, encoding: .utf8)
        let log = try MetricsLog(directory: directory, resumingAtEpoch: 4)
        let kept = try String(contentsOfFile: directory + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(kept == [#"{"epoch": 0, "loss": 3}"#, #"{"epoch": 1, "loss": 2}"#, #"{"epoch": 3, "loss": 1}"#])
        #expect(try String(contentsOfFile: directory + "/metrics.csv", encoding: .utf8) == "epoch,loss\n0,3\n1,2\n3,1\n")
        #expect(log.warnings.count == 3, "\(log.warnings)")
        #expect(log.warnings[0].contains("dropped 1 line that did not parse (line 5"))
        #expect(log.warnings[1].contains("epoch 1 appeared more than once; kept the last line"))
        #expect(log.warnings[2].contains("no line for epoch 2"))
    }

    @Test("on resume a deleted metrics.jsonl is said, with the epochs whose metrics are lost; a line with an absurd epoch is dropped, not a crash")
    func deleted() throws {
        let directory = TrainingFixtures.temporaryDirectory()
        let log = try MetricsLog(directory: directory, resumingAtEpoch: 3)
        #expect(log.warnings == ["\(directory)/metrics.jsonl is missing: the metrics of epochs 0–2 are lost from it (the checkpoint continues after them, and the report and summary start at epoch 3); the TensorBoard file may still hold them"])
        try (#"{"epoch": 1e300, "loss": 1}"# + "\n" + #"{"epoch": 0, "loss": 2}"# + "\n").write(toFile: directory + "/metrics.jsonl", atomically: true, encoding: .utf8)
        let again = try MetricsLog(directory: directory, resumingAtEpoch: 1)
        #expect(again.warnings.first?.contains("dropped 1 line that did not parse") == true, "\(again.warnings)")
    }

    @Test("on resume with metrics.jsonl deleted, metrics.csv keeps its rows before the resume point (it was rewritten empty), quoted fields and all")
    func deletedJSONKeepsCSV() throws {
        let directory = TrainingFixtures.temporaryDirectory()
        // Epoch 1 twice (the last kept), epoch 3 at or past the resume point dropped, a row cut by a kill dropped.
        let csv = "epoch,loss,note\n0,3,\"a, \"\"quoted\"\"\nnote\"\n1,2.5,\n1,2,\n3,1,\n4,0.5"
        try csv.write(toFile: directory + "/metrics.csv", atomically: true, encoding: .utf8)
        let log = try MetricsLog(directory: directory, resumingAtEpoch: 3)
        #expect(log.warnings == ["\(directory)/metrics.jsonl is missing: the metrics of epochs 0–2 are lost from it (the checkpoint continues after them, and the report and summary start at epoch 3); metrics.csv keeps its rows for 2 of them"])
        #expect(try String(contentsOfFile: directory + "/metrics.csv", encoding: .utf8) == "epoch,loss,note\n0,3,\"a, \"\"quoted\"\"\nnote\"\n1,2,\n")
        log.epochFinished(EpochMetrics(epoch: 3, globalStep: 30, loss: 0.75, reconstruction: 0.5, kl: [], klPerDimension: [], beta: [], learningRate: 0.001,
                                       validationKL: [], activeUnits: [], skippedSteps: 0, meanGradientNorm: 0, seconds: 0))
        let rows = CSVTable.records(try String(contentsOfFile: directory + "/metrics.csv", encoding: .utf8))
        // The resumed line's other columns widen the header (the file is rewritten with them; the kept rows' cells empty).
        #expect(rows.count == 4 && rows.allSatisfy { $0.count == rows[0].count } && Array(rows[0].prefix(3)) == ["epoch", "loss", "note"], "\(rows)")
        #expect(Array(rows[3].prefix(3)) == ["3", "0.75", ""] && Array(rows[1].prefix(3)) == ["0", "3", "a, \"quoted\"\nnote"], "\(rows)")
        #expect(rows[0].contains("global_step") && rows[1][rows[0].firstIndex(of: "global_step")!] == "" && rows[3][rows[0].firstIndex(of: "global_step")!] == "30")
    }
}
