import Foundation
import JSONConfig
@testable import Sweeps

/// Temporary folders, tiny base configs and synthetic run folders for the Sweeps tests.
enum SweepFixtures {
    static func temporaryDirectory() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("anneal-sweeps-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A small base config on the built-in shapes, written to a new folder; returns its path.
    static func baseConfig(_ text: String = #"""
        {"data": {"source": "shapes", "validation_fraction": 0.2},
         "model": {"type": "vae", "hidden_sizes": [16], "latent_dim": 3},
         "training": {"num_epochs": 4, "batch_size": 64, "learning_rate": 0.003, "checkpoint_every": 1}}
        """#, named name: String = "base.json") -> String {
        let path = temporaryDirectory() + "/" + name
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Writes a run folder as `anneal train` leaves it: summary.json and one metrics.jsonl line per epoch, with
    /// the given validation ELBO curve and the last epoch's numbers.
    static func writeRun(_ directory: String, curve: [Double], status: String = "completed", kl: Double = 4, activeUnits: Int = 2,
                         dimensions: Int = 3, mutualInformation: Double = 1.5, seconds: Double = 2) {
        try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var lines: [String] = []
        for (epoch, elbo) in curve.enumerated() {
            let perDimension = JSONValue.array((0..<dimensions).map { .number($0 < activeUnits ? kl / Double(activeUnits) : 0.001) })
            let line = JSONValue.object([
                ("epoch", .number(epoch)), ("validation_elbo", .number(elbo)), ("validation_reconstruction", .number(-elbo - kl)),
                ("validation_kl", .object([("kl", .number(kl))])), ("beta", .object([("beta", .number(min(1, Double(epoch) / 2)))])),
                ("active_units", .object([("kl", .number(activeUnits))])), ("kl_per_dimension", .object([("kl", perDimension)])),
                ("mutual_information", .object([("kl", .number(mutualInformation))])),
            ])
            lines.append(JSONWriter.compact(line))
        }
        try! (lines.joined(separator: "\n") + "\n").write(toFile: directory + "/metrics.jsonl", atomically: true, encoding: .utf8)
        let best = curve.enumerated().max { $0.element < $1.element }
        let summary = JSONValue.object([
            ("status", .string(status)), ("reason", status == "completed" ? .null : .string("because")), ("epochs", .number(curve.count)),
            ("best_validation_elbo", best.map { .number($0.element) } ?? .null), ("best_epoch", best.map { .number($0.offset) } ?? .null),
            ("seconds", .number(seconds)), ("sessions", .number(1)),
        ])
        try! JSONWriter.pretty(summary).write(toFile: directory + "/summary.json", atomically: true, encoding: .utf8)
    }
}
