import Foundation
import JSONConfig
import Schedules
import Testing
@testable import Tensors
@testable import Training

@Suite("Checkpoint format")
struct CheckpointTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    /// A copy of the format-1 run folder, so the test can resume it in place.
    static func format1Run() throws -> String {
        let directory = TrainingFixtures.temporaryDirectory() + "/run"
        try FileManager.default.copyItem(atPath: fixtures + "/format1/run", toPath: directory)
        return directory
    }

    @Test("a run folder of format 1 (anneal 0.1), stopped inside an epoch, resumes and computes what the release computed")
    func format1Resumes() throws {
        let directory = try Self.format1Run()
        let checkpoint = try Checkpoint.read(directory + "/checkpoints/last.ckpt")
        #expect(checkpoint.readFormat == 1)
        #expect(checkpoint.state.globalStep == 7 && checkpoint.state.epoch == 1 && checkpoint.state.position?.nextBatch == 2)
        let run = try TrainingRun.resume(directory)
        #expect(try run.run().outcome == .completed)
        // The release trained the same config straight through: the resumed epoch 1 has exactly its numbers.
        let expected = try String(contentsOfFile: Self.fixtures + "/format1/uninterrupted-metrics.jsonl", encoding: .utf8).split(separator: "\n")
        let resumed = try String(contentsOfFile: directory + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(resumed.count == 2)
        // The numbers were recorded on another CPU, whose BLAS kernel sums products in another order: on this one
        // they agree to about 10 digits (a loss of 10.03304830616287 against 10.033048306216704 under OpenBLAS's
        // Cooperlake kernel), so they are compared within 10⁻⁶ relative; counts and the epoch exactly. (A resume
        // against an uninterrupted run on the same machine is compared bit for bit elsewhere.) Per-step weights
        // were recorded under "beta"; they are now under beta_start, with beta_mean and beta_end beside.
        let old = try JSONParser.parse(String(expected[1])), new = try JSONParser.parse(String(resumed[1]))
        for key in ["epoch", "global_step", "active_units", "skipped_steps"] {
            #expect(new[key] == old[key], "\(key): \(new[key]?.description ?? "none") vs \(old[key]?.description ?? "none")")
        }
        for key in ["loss", "reconstruction", "kl", "elbo", "learning_rate", "validation_elbo", "validation_reconstruction", "validation_kl",
                    "kl_per_dimension", "mean_gradient_norm"] {
            #expect(Self.close(new[key], old[key]), "\(key): \(new[key]?.description ?? "none") vs \(old[key]?.description ?? "none")")
        }
        var weights = new["beta"]?.members ?? []
        weights += new["beta_start"]?.members ?? []
        #expect(Self.close(JSONValue(.object(weights)), old["beta"]), "beta: \(weights) vs \(old["beta"]?.description ?? "none")")
        // And the folder now holds format 2.
        #expect(try Checkpoint.read(directory + "/checkpoints/last.ckpt").readFormat == 2)
    }

    /// Equal structure, numbers within 10⁻⁶ relative (10⁻¹² absolute near 0), object members in any order.
    static func close(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        switch (a.kind, b.kind) {
        case let (.number(x, _), .number(y, _)): return x == y || abs(x - y) <= 1e-6 * max(abs(x), abs(y)) + 1e-12
        case let (.array(x), .array(y)): return x.count == y.count && zip(x, y).allSatisfy { close($0, $1) }
        case let (.object(x), .object(y)):
            return x.count == y.count && x.allSatisfy { member in y.first { $0.key == member.key }.map { close(member.value, $0.value) } ?? false }
        default: return a == b
        }
    }

    @Test("format 2 round-trips every piece of training state, the optimiser and the tensors")
    func format2RoundTrip() throws {
        var state = TrainingState(generator: RandomGenerator(seed: 42))
        state.epoch = 3
        state.globalStep = 77
        state.consecutiveSkips = 2
        var sums = EpochSums(terms: [("reconstruction", 1), ("kl", 3)], measurements: 1)
        sums.examples = 640
        sums.loss = 1234.5
        sums.terms = [1000.25, 7.5]
        sums.klPerDimension = [[1, 2.5, 4]]
        sums.measurements = [0.75]
        sums.skippedSteps = 1
        sums.gradientNormSum = 9.875
        sums.steps = 9
        state.position = EpochPosition(epoch: 3, order: [5, 2, 9, 0], nextBatch: 1, sums: sums, startValues: [0.25, 0.001])
        state.controllers = [.init(quantity: "beta", state: ControllerState([("error", -0.5), ("integral", 0.0125), ("output", 0.0625)]))]
        state.bestValidationELBO = -10.5
        state.bestEpoch = 2
        state.firstValidationELBO = -70.25
        state.gradientNormAverages = [1.5, 0.25]
        state.bestRule = "geometry"
        state.bestMetrics = ["coverage": 0.875, "radial_correlation": -0.5]
        let checkpoint = Checkpoint(state: state, optimizer: .init(configuration: .adamW(weightDecay: 0.05), step: 77, skippedSteps: 1),
                                    configuration: #"{"data":{"source":"shapes"}}"#,
                                    tensors: [("encoder.layers.0.weight", [1, -2, 3.5]), ("optimizer.first.encoder.layers.0.weight", [0, 0.5, .infinity])])
        let path = TrainingFixtures.temporaryDirectory() + "/state.ckpt"
        try checkpoint.write(to: path)
        let read = try Checkpoint.read(path)
        #expect(read.readFormat == 2)
        #expect(read.state == state)
        #expect(read.optimizer == checkpoint.optimizer && read.configuration == checkpoint.configuration)
        #expect(read.tensorOrder == checkpoint.tensorOrder && read.tensors == checkpoint.tensors)
        // The same state writes the same bytes (sorted keys): checkpoints are reproducible.
        let again = TrainingFixtures.temporaryDirectory() + "/again.ckpt"
        try read.write(to: again)
        #expect(FileManager.default.contents(atPath: again) == FileManager.default.contents(atPath: path))
    }

    @Test("a state saved before a property existed reads with that property's default")
    func missingProperties() throws {
        let text = #"{"generator": {"state": [1, 2, 3, 4]}, "epoch": 4}"#
        let state = try JSONDecoder().decode(TrainingState.self, from: Data(text.utf8))
        #expect(state.epoch == 4 && state.globalStep == 0 && state.controllers.isEmpty && state.position == nil && state.bestValidationELBO == nil)
    }

    @Test("an unknown format version is refused with the versions this anneal reads")
    func unknownVersion() throws {
        let state = TrainingState(generator: RandomGenerator(seed: 1))
        let path = TrainingFixtures.temporaryDirectory() + "/v2.ckpt"
        try Checkpoint(state: state, optimizer: .init(configuration: .adam(), step: 0, skippedSteps: 0), configuration: "{}", tensors: []).write(to: path)
        // Rewrite the header's version to 7 and fix the checksum.
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let header = String(decoding: bytes[16..<(bytes.count - 8)], as: UTF8.self).replacingOccurrences(of: #""format_version":2"#, with: #""format_version":7"#)
        #expect(header.contains(#""format_version":7"#))
        bytes = Array(bytes[0..<16]) + Array(header.utf8)
        withUnsafeBytes(of: Checkpoint.checksum(bytes[...]).littleEndian) { bytes.append(contentsOf: $0) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect { try Checkpoint.read(path) } throws: { error in
            (error as? CheckpointError)?.reason == "has format version 7; this anneal reads versions 1 and 2"
        }
    }

    @Test("a state a checkpoint cannot store is an error and writes nothing, never a file with an empty header")
    func unencodableState() throws {
        var state = TrainingState(generator: RandomGenerator(seed: 1))
        state.controllers = [.init(quantity: "beta", state: ControllerState([("integral", .nan)]))]
        let path = TrainingFixtures.temporaryDirectory() + "/nan.ckpt"
        let checkpoint = Checkpoint(state: state, optimizer: .init(configuration: .adam(), step: 0, skippedSteps: 0), configuration: "{}", tensors: [])
        #expect { try checkpoint.write(to: path) } throws: { error in
            "\(error)".contains("the training state holds a value a checkpoint cannot store")
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
