import Tensors
import Testing
@testable import Evaluation

@Suite("β-VAE score")
struct BetaVAEScoreTests {
    @Test("codes equal to the factors: the shared factor's difference is 0, the classifier is perfect")
    func codesAreFactors() throws {
        let factors = try fullGrid([3, 4, 5], repeats: 2)
        var sampler = try tableSampler(codesEqualToFactors(factors), factors)
        let result = try BetaVAEScore(sampler: &sampler, sizes: smallSizes(), seed: 0)
        #expect(result.evalAccuracy == 1 && result.trainAccuracy == 1)
    }

    @Test("codes independent of the factors: near chance (1/3), and deterministic per seed")
    func independentCodes() throws {
        let factors = try fullGrid([3, 4, 5], repeats: 4)
        var generator = RandomGenerator(seed: 11)
        var noise = [Double](repeating: 0, count: factors.count * 4)
        noise.withUnsafeMutableBufferPointer { generator.fillNormal($0) }
        var sampler = try tableSampler(Tensor(rows: factors.count, columns: 4, scalars: noise), factors)
        let result = try BetaVAEScore(sampler: &sampler, sizes: smallSizes(), seed: 1)
        #expect(result.evalAccuracy < 0.5, "eval accuracy \(result.evalAccuracy)")
        let again = try BetaVAEScore(sampler: &sampler, sizes: smallSizes(), seed: 1)
        #expect(again.evalAccuracy == result.evalAccuracy && again.trainAccuracy == result.trainAccuracy)
    }
}
