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
        // Other data given with --data needs nothing of the run's own files.
        try Self.writeData(home + "/elsewhere", seed: 3)
        try #"{"data": {"path": "digits.npy", "labels_path": "labels.npy"}}"#.write(toFile: home + "/elsewhere/data.json", atomically: true, encoding: .utf8)
        let other = try AnnealProcess.run(["evaluate", copy, "--samples", "0", "--data", home + "/elsewhere/data.json"])
        #expect(other.status == 0, "\(other.standardError)")

        // The data put beside the run folder is found, and said.
        try Self.writeData(home + "/laptop", seed: 1)
        let found = try AnnealProcess.run(["evaluate", copy, "--samples", "0"])
        #expect(found.status == 0, "\(found.standardError)")
        #expect(found.standardError.contains("note: data.path \(home)/project/data/digits.npy is not there; using \(home)/laptop/digits.npy, found beside the run folder"), "\(found.standardError)")
        #expect(try AnnealProcess.run(["sample", copy, "--interpolate", "0", "1", "--steps", "3", "--output", copy + "/line.npy"]).status == 0)

        // Other data under the same name is refused by its fingerprint.
        try Self.writeData(home + "/laptop", seed: 2)
        let changed = try AnnealProcess.run(["evaluate", copy, "--samples", "0"])
        #expect(changed.status == 1 && changed.standardError.contains("is not the data the run was trained on"), "\(changed.standardError)")
    }

    @Test("flat image rows: sample says why no picture is drawn and how to get one; --image-shape and data.image_shape draw it; a shape that does not fit is refused; config.json records how the data was prepared")
    func flatImages() throws {
        let home = try AnnealProcess.temporaryDirectory().path
        // 60 × 64 whole numbers 0–255 as float32, flat: pixels, divided by 255.
        var state: UInt64 = 7
        let values: [Float] = (0..<(60 * 64)).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 56)
        }
        try NPYWriter.write(values, shape: [60, 64], to: home + "/flat.npy")
        try #"{"data": {"path": "flat.npy"}, "model": {"hidden_sizes": [16], "latent_dim": 2}, "training": {"num_epochs": 1, "batch_size": 16}}"#
            .write(toFile: home + "/flat.json", atomically: true, encoding: .utf8)
        #expect(try AnnealProcess.run(["train", "--config", home + "/flat.json", "--out", home + "/run"]).status == 0)
        let data = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: home + "/run/config.json"))) as? [String: Any])["data"] as? [String: Any]
        #expect(data?["scale"] as? Double == 255 && data?["split_seed"] as? Int == 0 && data?["standardize"] as? Bool == false, "\(String(describing: data))")
        let plain = try AnnealProcess.run(["sample", home + "/run", "--output", home + "/s.npy"])
        #expect(plain.status == 0 && plain.standardError.contains("note: no picture drawn: the run's examples are rows of 64 features with no image shape; --image-shape H W draws them (8 × 8?)"), "\(plain.standardError)")
        #expect(!FileManager.default.fileExists(atPath: home + "/s.png"))
        let drawn = try AnnealProcess.run(["sample", home + "/run", "--image-shape", "8", "8", "--output", home + "/d.npy"])
        #expect(drawn.status == 0 && FileManager.default.fileExists(atPath: home + "/d.png"), "\(drawn.standardError)")
        let wrong = try AnnealProcess.run(["sample", home + "/run", "--image-shape", "8", "9"])
        #expect(wrong.status == 1 && wrong.standardError.contains("--image-shape 8 9 holds 72 pixels, but the run's examples have 64 features"))
        // In the config: the run knows its images.
        try #"{"data": {"path": "flat.npy", "image_shape": [8, 8]}, "model": {"hidden_sizes": [16], "latent_dim": 2}, "training": {"num_epochs": 1, "batch_size": 16}}"#
            .write(toFile: home + "/shaped.json", atomically: true, encoding: .utf8)
        #expect(try AnnealProcess.run(["train", "--config", home + "/shaped.json", "--out", home + "/shaped"]).status == 0)
        #expect(try AnnealProcess.run(["sample", home + "/shaped", "--output", home + "/shaped/s.npy"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: home + "/shaped/s.png"))
        try #"{"data": {"path": "flat.npy", "image_shape": [8, 9]}, "training": {"num_epochs": 1}}"#.write(toFile: home + "/bad.json", atomically: true, encoding: .utf8)
        let bad = try AnnealProcess.run(["train", "--config", home + "/bad.json", "--out", home + "/bad"])
        #expect(bad.status == 1 && bad.standardError.contains("flat.npy: has 64 features per example, but data.image_shape [8, 9] holds 72 pixels"), "\(bad.standardError)")
    }
}
