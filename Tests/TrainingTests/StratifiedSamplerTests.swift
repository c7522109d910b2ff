import Data
import JSONConfig
import Testing
import Tensors
@testable import Training

@Suite("Stratified sampler")
struct StratifiedSamplerTests {
    @Test("every run of S entries holds one example of each of the S strata; rare strata repeat")
    func balanced() {
        // Difficulty 0 for 12 examples, 1 for 6, 2 for 2: three strata of very different sizes.
        let difficulty = (0..<20).map { $0 < 12 ? 0.0 : ($0 < 18 ? 1 : 2) }
        let dataset = Dataset(name: "skewed", count: 20, featureCount: 1, features: [Float](repeating: 0, count: 20), difficulty: difficulty)
        let sampler = StratifiedSampler(key: .difficulty)
        let training = Array(0..<20)
        #expect(sampler.strata(training: training, dataset: dataset).map(\.count) == [12, 6, 2])
        var generator = RandomGenerator(seed: 11), same = RandomGenerator(seed: 11)
        let order = sampler.order(epoch: 0, training: training, dataset: dataset, generator: &generator)
        #expect(order.count == 20)
        // 20 entries in rounds of 3: rounds 0…5 are complete (18 entries), each with one example of each stratum.
        for round in 0..<6 {
            #expect(Set(order[(3 * round)..<(3 * round + 3)].map { difficulty[$0] }) == [0, 1, 2])
        }
        // The 2-example stratum: 6 or 7 draws in passes of 2, so each example 3 or 4 times.
        #expect([18, 19].allSatisfy { e in (3...4).contains(order.filter { $0 == e }.count) })
        #expect(order == sampler.order(epoch: 0, training: training, dataset: dataset, generator: &same))
    }

    @Test("by label; the default picks difficulty when the data has it; requirements are named")
    func keys() throws {
        let labelled = Dataset(name: "labelled", count: 6, featureCount: 1, features: [Float](repeating: 0, count: 6), labels: [0, 0, 0, 0, 1, 1], classCount: 2)
        var generator = RandomGenerator(seed: 2)
        let order = StratifiedSampler().order(epoch: 0, training: Array(0..<6), dataset: labelled, generator: &generator)
        #expect(order.filter { $0 >= 4 }.count == 3)
        #expect(StratifiedSampler(key: .difficulty).requirement(for: labelled)?.contains("by difficulty") == true)
        #expect(StratifiedSampler().requirement(for: labelled) == nil)
        let ternary = try TrainingFixtures.configuration(TrainingFixtures.small("vae", data: "ternary_operations", extra: #", "sampler": {"type": "stratified", "by": "label"}"#))
        #expect(ternary.sampler as? StratifiedSampler == StratifiedSampler(key: .label))
        let bad = TrainingFixtures.small("vae", data: "ternary_operations", extra: #", "sampler": {"type": "stratified", "by": "colour"}"#)
        #expect { _ = try TrainingFixtures.configuration(bad) } throws: { "\($0)".contains("training.sampler.by") && "\($0)".contains("colour") }
    }

    @Test("by a factor: dsprites' shapes come in equal numbers; a missing factor is named with the ones there are")
    func byFactor() throws {
        let dataset = SpriteImages(resolution: 32)!.dataset(subset: 600, seed: 1)
        let sampler = StratifiedSampler(key: .factor("scale"))
        #expect(sampler.requirement(for: dataset) == nil)
        var generator = RandomGenerator(seed: 4)
        let order = sampler.order(epoch: 0, training: Array(0..<600), dataset: dataset, generator: &generator)
        // Six scales: every run of 6 entries holds each once.
        let scale = { (row: Int) in dataset.factors!.value(row: row, factor: 1) }
        for round in 0..<100 { #expect(Set(order[(6 * round)..<(6 * round + 6)].map(scale)) == Set(0..<6)) }
        #expect(StratifiedSampler(key: .factor("colour")).requirement(for: dataset)?.contains("factors are shape, scale, orientation, position_x, position_y") == true)
        let plain = Dataset(name: "plain", count: 2, featureCount: 1, features: [0, 1], labels: [0, 1], classCount: 2)
        #expect(StratifiedSampler(key: .factor("shape")).requirement(for: plain)?.contains("has no factors (give data.factors_path") == true)
        // Configs: "factor:NAME" reads and writes back; an unknown key lists what is allowed.
        let configuration = try TrainingFixtures.configuration(#"{"data": {"source": "dsprites", "resolution": 32, "subset": 500}, "training": {"sampler": {"type": "stratified", "by": "factor:shape"}}}"#)
        #expect(configuration.sampler as? StratifiedSampler == StratifiedSampler(key: .factor("shape")))
        #expect(configuration.json["training"]?["sampler"]?["by"] == .string("factor:shape"))
        let bad = #"{"data": {"source": "dsprites"}, "training": {"sampler": {"type": "stratified", "by": "factor:"}}}"#
        #expect { _ = try TrainingFixtures.configuration(bad) } throws: { "\($0)".contains("training.sampler.by") && "\($0)".contains("allowed: difficulty, label, factor:NAME") }
    }
}
