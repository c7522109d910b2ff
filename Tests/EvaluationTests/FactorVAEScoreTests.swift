import Tensors
import Testing
@testable import Evaluation

/// Small sample sizes for tests: batches of 8, 300 training and 200 evaluation votes or points.
func smallSizes() -> DisentanglementSampleSizes {
    var sizes = DisentanglementSampleSizes()
    sizes.batchSize = 8
    sizes.trainBatches = 300
    sizes.evalBatches = 200
    sizes.varianceEstimateCount = 1000
    return sizes
}

func tableSampler(_ codes: Tensor<Double>, _ factors: GroundTruthFactors) throws -> FactorTableSampler {
    try FactorTableSampler(codes: codes.scalars, codeDimensions: codes.columns, factors: factors)
}

@Suite("FactorVAE score")
struct FactorVAEScoreTests {
    @Test("codes equal to the factors: every vote goes to the factor's own code, accuracy 1")
    func codesAreFactors() throws {
        let factors = try fullGrid([3, 4, 5], repeats: 2)
        var sampler = try tableSampler(codesEqualToFactors(factors), factors)
        let result = try FactorVAEScore(sampler: &sampler, sizes: smallSizes(), seed: 0)
        #expect(result.trainAccuracy == 1 && result.evalAccuracy == 1)
        #expect(result.activeCodes == [0, 1, 2])
    }

    @Test("a constant code is pruned, and votes land on the codes' own indices (dlib would shift them by one)")
    func prunedCodeIndices() throws {
        let factors = try fullGrid([3, 4, 5], repeats: 2)
        // Code 0 constant; codes 1, 2, 3 are factors 0, 1, 2.
        let codes = Tensor<Double>((0..<factors.count).map { r in [4.0] + (0..<3).map { Double(factors.value(row: r, factor: $0)) } })
        var sampler = try tableSampler(codes, factors)
        let result = try FactorVAEScore(sampler: &sampler, sizes: smallSizes(), seed: 0)
        #expect(result.activeCodes == [1, 2, 3])
        for k in 0..<3 {
            let votes = result.trainVotes[k]
            #expect(votes[k + 1] == votes.reduce(0, +) && votes[k + 1] > 0, "factor \(k): \(votes)")
        }
        #expect(result.trainAccuracy == 1 && result.evalAccuracy == 1)
    }

    @Test("permuting the codes changes nothing; the same seed gives the same numbers")
    func permutation() throws {
        let factors = try fullGrid([3, 4], repeats: 10)
        var generator = RandomGenerator(seed: 3)
        var noise = [Double](repeating: 0, count: factors.count * 3)
        noise.withUnsafeMutableBufferPointer { generator.fillNormal($0) }
        let rows = (0..<factors.count).map { r in [Double(factors.value(row: r, factor: 0)) + 0.8 * noise[3 * r], noise[3 * r + 1], Double(factors.value(row: r, factor: 1)) + noise[3 * r + 2]] }
        var first = try tableSampler(Tensor(rows), factors)
        var second = try tableSampler(Tensor(rows.map { [$0[2], $0[0], $0[1]] }), factors)
        let a = try FactorVAEScore(sampler: &first, sizes: smallSizes(), seed: 5)
        let b = try FactorVAEScore(sampler: &second, sizes: smallSizes(), seed: 5)
        #expect(a.trainAccuracy == b.trainAccuracy && a.evalAccuracy == b.evalAccuracy)
        #expect(a.trainAccuracy < 1 && a.trainAccuracy > 0.5)
        let again = try FactorVAEScore(sampler: &first, sizes: smallSizes(), seed: 5)
        #expect(again.trainVotes == a.trainVotes && again.evalAccuracy == a.evalAccuracy)
    }

    @Test("every code constant: no active code, both accuracies 0 with a note")
    func allPruned() throws {
        let factors = try fullGrid([3, 4], repeats: 3)  // 36 rows: every value of both factors fills a batch of 8
        var sampler = try tableSampler(Tensor((0..<factors.count).map { _ in [1.0, 0.01] }), factors)
        let result = try FactorVAEScore(sampler: &sampler, sizes: smallSizes(), seed: 0)
        #expect(result.activeCodes.isEmpty && result.trainAccuracy == 0 && result.evalAccuracy == 0 && !result.notes.isEmpty)
    }

    @Test("a factor no value of which fills a batch is left out; one factor left (every vote right by construction) or none is an error")
    func smallTable() throws {
        let factors = try fullGrid([3, 4, 6])  // 72 rows: factor 0's values have 24 rows each, factor 1's 18, factor 2's 12
        var sizes = smallSizes()
        sizes.batchSize = 13
        var sampler = try tableSampler(codesEqualToFactors(factors), factors)
        let result = try FactorVAEScore(sampler: &sampler, sizes: sizes, seed: 0)
        #expect(result.notes.contains { $0.contains("factor f2 left out") })
        #expect(result.trainVotes[2].allSatisfy { $0 == 0 } && result.trainAccuracy == 1)
        // Batches of 19: factor 0 alone can be fixed, and a vote among one factor is always right (it read 1.0).
        sizes.batchSize = 19
        #expect { try FactorVAEScore(sampler: &sampler, sizes: sizes, seed: 0) } throws: { "\($0)".contains("only f0 can") && "\($0)".contains("right by construction") }
        sizes.batchSize = 25
        #expect(throws: EvaluationError.self) { try FactorVAEScore(sampler: &sampler, sizes: sizes, seed: 0) }
    }
}
