import Data
import JSONConfig
import Foundation
import Testing
import Tensors
@testable import Training

@Suite("Curriculum sampler")
struct CurriculumSamplerTests {
    /// 10 examples with difficulties 0…9.
    static let dataset = Dataset(name: "levels", count: 10, featureCount: 1, features: (0..<10).map(Float.init), difficulty: (0..<10).map(Double.init))

    /// Difficulties 0…9 normalise to u = d/9. At pace 0.25: a(0) = 0 → {0}; a(1) = 0.25 → u ≤ 0.25 → d ≤ 2.25 →
    /// {0,1,2}; a(2) = 0.5 → d ≤ 4.5 → {0…4}; a(4) = 1 → all. With easiest "high": u = (9 − d)/9, so epoch 1
    /// allows d ≥ 6.75 → {7,8,9}.
    @Test("the allowed examples at the epochs that matter, low or high end first")
    func allowedLevels() {
        let low = CurriculumSampler(start: 0, pace: 0.25)
        let all = Array(0..<10)
        #expect(low.allowed(epoch: 0, training: all, dataset: Self.dataset) == [0])
        #expect(low.allowed(epoch: 1, training: all, dataset: Self.dataset) == [0, 1, 2])
        #expect(low.allowed(epoch: 2, training: all, dataset: Self.dataset) == [0, 1, 2, 3, 4])
        #expect(low.allowed(epoch: 4, training: all, dataset: Self.dataset) == all)
        #expect(low.fullEpoch == 4)
        let high = CurriculumSampler(start: 0, pace: 0.25, easiestIsLow: false)
        #expect(high.allowed(epoch: 0, training: all, dataset: Self.dataset) == [9])
        #expect(high.allowed(epoch: 1, training: all, dataset: Self.dataset) == [7, 8, 9])
        // The seed's pace 0.1 reaches every level at epoch 10: a(10) = min(1, 0 + 0.1·10) = 1.
        #expect(CurriculumSampler(pace: 0.1).fullEpoch == 10)
        #expect(CurriculumSampler(start: 0.5, pace: 0.1).fullEpoch == 5)
    }

    @Test("each epoch has one entry per training example, allowed ones only, balanced; deterministic by the generator")
    func orders() {
        let sampler = CurriculumSampler(start: 0, pace: 0.25)
        let training = Array(0..<10)
        var generator = RandomGenerator(seed: 5), same = RandomGenerator(seed: 5)
        let order = sampler.order(epoch: 1, training: training, dataset: Self.dataset, generator: &generator)
        #expect(order.count == 10 && Set(order) == [0, 1, 2])
        // 10 entries from 3 allowed: each appears ⌊10/3⌋ = 3 or ⌈10/3⌉ = 4 times.
        #expect([0, 1, 2].allSatisfy { e in (3...4).contains(order.filter { $0 == e }.count) })
        #expect(order == sampler.order(epoch: 1, training: training, dataset: Self.dataset, generator: &same))
        // Once every example is allowed, an epoch is a permutation of the training examples.
        let full = sampler.order(epoch: 4, training: training, dataset: Self.dataset, generator: &generator)
        #expect(full.sorted() == training)
    }

    @Test("config: defaults, round trip, bad values and data without difficulty are clear errors")
    func configuration() throws {
        let text = TrainingFixtures.small("vae", data: "ternary_operations", extra: #", "sampler": {"type": "curriculum", "pace": 0.2, "easiest": "high"}"#)
        let configuration = try TrainingFixtures.configuration(text)
        let sampler = try #require(configuration.sampler as? CurriculumSampler)
        #expect(sampler == CurriculumSampler(start: 0, pace: 0.2, easiestIsLow: false))
        let again = try RunConfiguration.parse(configuration.json, file: "again.json")
        #expect(again.sampler as? CurriculumSampler == sampler)

        for (value, message) in [(#"{"type": "curriculum", "pace": 0}"#, "pace: must be in (0, 1]"),
                                 (#"{"type": "curriculum", "start": 1.5}"#, "start: must be in [0, 1]"),
                                 (#"{"type": "curriculum", "easiest": "middle"}"#, "middle"),
                                 (#"{"type": "curriculum", "speed": 1}"#, "speed")] {
            let bad = TrainingFixtures.small("vae", data: "ternary_operations", extra: ", \"sampler\": \(value)")
            #expect { _ = try TrainingFixtures.configuration(bad) } throws: { "\($0)".contains("training.sampler") && "\($0)".contains(message) }
        }
        // The shapes data has labels but no difficulty.
        let shapes = try TrainingFixtures.configuration(TrainingFixtures.small("vae", data: "shapes", extra: #", "sampler": "curriculum""#))
        #expect { _ = try Trainer(configuration: shapes, dataset: try shapes.data.load(), runDirectory: nil) } throws: {
            "\($0)".hasPrefix("run.json: training.sampler: the curriculum sampler orders examples by difficulty") && "\($0)".contains("data.difficulty_path")
        }
    }

    @Test("a difficulty file gives user data its levels; a wrong count or a NaN names the file")
    func difficultyFile() throws {
        let directory = TrainingFixtures.temporaryDirectory()
        let data = directory + "/x.csv", levels = directory + "/levels.csv"
        try (["a,b"] + (0..<20).map { "\(Double($0) / 20),\(1 - Double($0) / 20)" }).joined(separator: "\n").write(toFile: data, atomically: true, encoding: .utf8)
        try (["level"] + (0..<20).map { "\($0 % 4)" }).joined(separator: "\n").write(toFile: levels, atomically: true, encoding: .utf8)
        let source = DataSource(kind: .csv, path: data, difficultyPath: levels)
        let dataset = try source.load()
        #expect(dataset.difficulty == (0..<20).map { Double($0 % 4) })
        try (["level"] + (0..<19).map { "\($0)" }).joined(separator: "\n").write(toFile: levels, atomically: true, encoding: .utf8)
        #expect { _ = try source.load() } throws: { "\($0)".contains("levels.csv") && "\($0)".contains("has 19 difficulties for 20 examples") }
        try (["level"] + (0..<20).map { $0 == 3 ? "nan" : "\($0)" }).joined(separator: "\n").write(toFile: levels, atomically: true, encoding: .utf8)
        #expect { _ = try source.load() } throws: { "\($0)".contains("levels.csv") }
    }

    @Test("a curriculum run interrupted inside an epoch resumes to the straight run's parameters")
    func resumeMidEpoch() throws {
        let text = TrainingFixtures.small("vae", data: "ternary_operations", epochs: 2, batchSize: 512, extra: #", "sampler": {"type": "curriculum", "pace": 0.5}"#)
        let configuration = try TrainingFixtures.configuration(text)
        let dataset = try configuration.data.load()
        let straight = try Trainer(configuration: configuration, dataset: dataset, runDirectory: TrainingFixtures.temporaryDirectory())
        _ = try straight.run(observers: [])
        let directory = TrainingFixtures.temporaryDirectory()
        let interrupted = try Trainer(configuration: configuration, dataset: dataset, runDirectory: directory)
        #expect(try interrupted.run(observers: []) { interrupted.globalStep == 5 } == .interrupted)
        let resumed = try Trainer(configuration: configuration, dataset: dataset, runDirectory: directory)
        try resumed.restore(try Checkpoint.read(directory + "/checkpoints/last.ckpt"), file: "last.ckpt")
        #expect(try resumed.run(observers: []) == .completed)
        let same = resumed.model.parameters.map { $0.tensor.tensor.scalars } == straight.model.parameters.map { $0.tensor.tensor.scalars }
        #expect(same)
    }
}
