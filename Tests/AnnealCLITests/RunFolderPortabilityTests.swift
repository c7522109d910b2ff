import Foundation
import RunLog
import Testing

/// A run folder copied to another machine without its data (a cluster user copying a run home): export and
/// sampling need no example and work; commands that read examples name the missing file and the way out, find
/// the data when it sits beside the run folder, and refuse other data by its fingerprint.
@Suite("Run folders that travel")
struct RunFolderPortabilityTests {
    /// 60 examples of 8 × 8 pixels in [0, 1] from a fixed generator, 3 classes.
    static func writeData(_ folder: String, seed: UInt64) throws {
        var state = seed
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24)
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try NPYWriter.write((0..<(60 * 64)).map { _ in next() }, shape: [60, 8, 8], to: folder + "/digits.npy")
        try NPYWriter.write((0..<60).map { Int32($0 % 3) }, shape: [60], to: folder + "/labels.npy")
    }

    @Test("copied without its data: export and sample work from the checkpoint; evaluate names the missing file; data beside the run is found; other data is refused")
    func copiedRun() throws {
        let home = try AnnealProcess.temporaryDirectory().path
        try Self.writeData(home + "/project/data", seed: 1)
        let config = home + "/project/config.json"
        try #"{"data": {"path": "data/digits.npy", "labels_path": "data/labels.npy"}, "model": {"type": "cvae", "hidden_sizes": [16], "latent_dim": 2}, "training": {"num_epochs": 2, "batch_size": 16}}"#
            .write(toFile: config, atomically: true, encoding: .utf8)
        let trained = try AnnealProcess.run(["train", "--config", config, "--out", home + "/project/runs/r1"])
        #expect(trained.status == 0, "\(trained.standardError)")

        // The run folder alone, elsewhere: the cluster's copy.
        try FileManager.default.createDirectory(atPath: home + "/laptop", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: home + "/project/runs/r1", toPath: home + "/laptop/r1")
        try FileManager.default.moveItem(atPath: home + "/project", toPath: home + "/project-gone")
        let copy = home + "/laptop/r1"
        let export = try AnnealProcess.run(["export", copy])
        #expect(export.status == 0, "\(export.standardError)")
        let sample = try AnnealProcess.run(["sample", copy, "--count", "2", "--output", copy + "/s.npy"])
        #expect(sample.status == 0 && sample.standardError.contains("6 samples"), "\(sample.standardError)")
        #expect(try AnnealProcess.run(["sample", copy, "--class", "1", "--output", copy + "/one.npy"]).status == 0)
        let evaluate = try AnnealProcess.run(["evaluate", copy, "--samples", "0"])
        #expect(evaluate.status == 1 && evaluate.standardError == "Error: the run's data file \(home)/project/data/digits.npy (data.path) is missing, and no digits.npy sits in \(copy) or the two folders above it; copy it there, or point at another copy with --data FILE\n")

        // The data put beside the run folder is found, and said.
        try Self.writeData(home + "/laptop", seed: 1)
        let found = try AnnealProcess.run(["evaluate", copy, "--samples", "0"])
        #expect(found.status == 0, "\(found.standardError)")
        #expect(found.standardError.contains("note: data.path \(home)/project/data/digits.npy is not there; using \(home)/laptop/digits.npy, found beside the run folder"), "\(found.standardError)")
        #expect(try AnnealProcess.run(["sample", copy, "--interpolate", "0", "1", "--steps", "3", "--output", copy + "/line.npy"]).status == 0)

        // Other data under the same name is refused by its fingerprint.
        try Self.writeData(home + "/laptop", seed: 2)
        let other = try AnnealProcess.run(["evaluate", copy, "--samples", "0"])
        #expect(other.status == 1 && other.standardError.contains("is not the data the run was trained on"), "\(other.standardError)")
    }
}
