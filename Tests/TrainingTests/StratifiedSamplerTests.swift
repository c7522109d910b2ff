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
}
