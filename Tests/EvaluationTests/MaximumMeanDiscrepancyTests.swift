import Foundation
import Testing
import Tensors
@testable import Evaluation

@Suite("MMD²")
struct MaximumMeanDiscrepancyTests {
    @Test("evaluation.md, s = 1: x = {0, 1}, y = {0, 2} → unbiased −0.4323323584, biased 0.1967346701")
    func evaluationExample() throws {
        let result = try MaximumMeanDiscrepancy(real: points([0, 1]), generated: points([0, 2]), bandwidth: .fixed(1))
        // k(d) = e^(−d²/2): k(1) = e^−½, k(2) = e^−2.  Σ_{i≠j} k(x) = 2e^−½, Σ_{i≠j} k(y) = 2e^−2,
        // Σ k(x, y) = k(0) + k(2) + k(1) + k(1) = 1 + e^−2 + 2e^−½.
        let half = exp(-0.5), two = exp(-2.0)
        let cross = (1 + two + 2 * half) / 4
        #expect(close(result.unbiased, 2 * half / 2 + 2 * two / 2 - 2 * cross, 1e-15))
        #expect(close(result.biased, (2 + 2 * half) / 4 + (2 + 2 * two) / 4 - 2 * cross, 1e-15))
        #expect(abs(result.unbiased - -0.4323323584) < 1e-10)
        #expect(abs(result.biased - 0.1967346701) < 1e-10)
        #expect(result.bandwidth == 1 && result.bandwidthChoice == .fixed(1) && result.bandwidthPoints == nil)
    }

    @Test("evaluation.md, s = 1: x = y = {0, 1} → unbiased −0.3934693403 (= e^−½ − 1), biased 0")
    func identicalSets() throws {
        let result = try MaximumMeanDiscrepancy(real: points([0, 1]), generated: points([0, 1]), bandwidth: .fixed(1))
        // 2e^−½/2 + 2e^−½/2 − 2·(2 + 2e^−½)/4 = e^−½ − 1.
        #expect(close(result.unbiased, exp(-0.5) - 1, 1e-15))
        #expect(abs(result.unbiased - -0.3934693403) < 1e-10)
        #expect(abs(result.biased) < 1e-15)
    }

    @Test("the median heuristic: pooled {0, 1, 0, 2} has distances [0, 1, 1, 1, 2, 2], median 1, so s = 1")
    func medianHeuristic() throws {
        let result = try MaximumMeanDiscrepancy(real: points([0, 1]), generated: points([0, 2]))
        #expect(result.bandwidth == 1 && result.bandwidthChoice == .medianHeuristic && result.bandwidthPoints == 4)
        #expect(abs(result.unbiased - -0.4323323584) < 1e-10)
        #expect(result.description == "MMD² -0.432 unbiased, 0.197 biased (RBF, bandwidth 1 by the median heuristic over 4 points; 2 real, 2 generated)")
    }

    @Test("above 2000 pooled points the median uses 2000 rows at indices ⌊i·|Z|/2000⌋")
    func medianHeuristicSubsample() throws {
        // 1-D: real 0, 1, …, 1199 and generated 0.5, 2.5, …: pooled 2100 points.
        let real = (0..<1200).map(Double.init), generated = (0..<900).map { 2 * Double($0) + 0.5 }
        let pooled = real + generated
        let chosen = (0..<2000).map { pooled[$0 * 2100 / 2000] }
        var distances = [Double]()
        for i in 0..<2000 { for j in (i + 1)..<2000 { distances.append(abs(chosen[i] - chosen[j])) } }
        distances.sort()
        let median = (distances[distances.count / 2 - 1] + distances[distances.count / 2]) / 2  // 1999000 pairs: even
        let result = try MaximumMeanDiscrepancy(real: points(real), generated: points(generated))
        #expect(result.bandwidthPoints == 2000)
        #expect(close(result.bandwidth, median, 1e-12))
    }

    @Test("equals the formulas written out with SciPy's cdist, 120 vs 100 points in 6-D, fixed s = 2.5 and the median s")
    func matchesReference() throws {
        let reference = try Reference.load().mmd
        let fixed = try MaximumMeanDiscrepancy(real: matrix(reference.real), generated: matrix(reference.fake), bandwidth: .fixed(reference.fixed_bandwidth))
        #expect(close(fixed.unbiased, reference.fixed.unbiased, 1e-12))
        #expect(close(fixed.biased, reference.fixed.biased, 1e-12))
        let median = try MaximumMeanDiscrepancy(real: matrix(reference.real), generated: matrix(reference.fake))
        #expect(close(median.bandwidth, reference.median_bandwidth, 1e-13))
        #expect(close(median.unbiased, reference.median.unbiased, 1e-12))
        #expect(close(median.biased, reference.median.biased, 1e-12))
        #expect(median.realCount == 120 && median.generatedCount == 100 && median.dimensions == 6)
    }

    @Test("samples of one distribution score near 0; a shifted set scores clearly above")
    func separatesDistributions() throws {
        let real = gaussian(rows: 200, columns: 3, seed: 1)
        let same = try MaximumMeanDiscrepancy(real: real, generated: gaussian(rows: 200, columns: 3, seed: 2))
        let shifted = try MaximumMeanDiscrepancy(real: real, generated: gaussian(rows: 200, columns: 3, seed: 3, shift: 1))
        #expect(abs(same.unbiased) < 0.01)
        #expect(shifted.unbiased > 0.1)
        #expect(same.biased >= 0 && shifted.biased > shifted.unbiased)
    }

    @Test("a bad bandwidth, a single row and coinciding points are errors")
    func errors() {
        #expect(throws: EvaluationError(metric: "MMD²", "the bandwidth must be a positive number, not 0.0")) {
            try MaximumMeanDiscrepancy(real: points([0, 1]), generated: points([0, 2]), bandwidth: .fixed(0))
        }
        #expect(throws: EvaluationError(metric: "MMD²", "the generated set has 1 rows; the unbiased estimate needs at least 2")) {
            try MaximumMeanDiscrepancy(real: points([0, 1]), generated: points([0]))
        }
        #expect(throws: EvaluationError(metric: "MMD²", "the median pairwise distance over the 5 pooled points is 0 (most points coincide); give a fixed bandwidth")) {
            try MaximumMeanDiscrepancy(real: points([3, 3, 3]), generated: points([3, 4]))
        }
    }
}
