import Testing
import Tensors
@testable import Evaluation

@Suite("Precision, recall, density, coverage")
struct PrecisionRecallDensityCoverageTests {
    @Test("evaluation.md's hand example: real {0,1,2,3,4}, fake {0.5, 10}, k = 1 → P 0.5, R 1, D 1, C 0.4")
    func handExample() throws {
        let result = try PrecisionRecallDensityCoverage(real: points([0, 1, 2, 3, 4]), generated: points([0.5, 10]), k: 1)
        // Real radii (nearest other real point): all 1. Fake radii: 0.5 ↔ 10 are 9.5 apart, so both 9.5.
        // Precision: 0.5 is 0.5 < 1 from real 0; 10 is in no real ball → 1/2.
        #expect(result.precision == 0.5)
        // Recall: every real point is within 9.5 of fake 0.5 (4 − 0.5 = 3.5 < 9.5) → 5/5.
        #expect(result.recall == 1)
        // Density: 0.5 lies in the balls of 0 and 1 (0.5 < 1 each), 10 in none → (2 + 0)/(k·M = 2) = 1.
        #expect(result.density == 1)
        // Coverage: nearest fake to 0 and 1 is 0.5 (0.5 < 1 ✓), to 2, 3, 4 it is 1.5, 2.5, 3.5 (not < 1) → 2/5.
        #expect(result.coverage == 0.4)
        #expect(result.k == 1 && result.realCount == 5 && result.generatedCount == 2 && result.dimensions == 1)
        #expect(result.zeroRadiusRealCount == 0 && result.zeroRadiusGeneratedCount == 0)
    }

    @Test("identical sets without ties give precision = recall = density = coverage = 1 for any k", arguments: [1, 3, 5])
    func identicalSets(k: Int) throws {
        let set = gaussian(rows: 150, columns: 6, seed: 7)
        let result = try PrecisionRecallDensityCoverage(real: set, generated: set, k: k)
        // Each point is in its own ball (distance 0 < r); the ball of X_i holds X_i and its k − 1 nearer
        // neighbours but not the k-th (distance = r, not < r), so density = N·k/(k·N) = 1.
        #expect(result.precision == 1 && result.recall == 1 && result.density == 1 && result.coverage == 1)
    }

    @Test("duplicates: k or more copies make a radius of 0 and an empty ball, as in the reference")
    func duplicates() throws {
        // Real {0, 0, 0, 10, 11, 13}, fake {0, 10.5, 20, 30}, k = 2 (radius = 3rd smallest distance, own 0 included).
        // Real radii: the three 0s: [0, 0, 0, …] → 0; 10: [0, 1, 3, …] → 3; 11: [0, 1, 2, …] → 2; 13: [0, 2, 3, …] → 3.
        // Fake radii: 0: [0, 10.5, 20, 30] → 20; 10.5: [0, 9.5, 10.5, …] → 10.5; 20: [0, 9.5, 10, …] → 10; 30: [0, 10, 19.5, …] → 19.5.
        let result = try PrecisionRecallDensityCoverage(real: points([0, 0, 0, 10, 11, 13]), generated: points([0, 10.5, 20, 30]), k: 2)
        // Precision: fake 0 sits on the real 0s, whose balls are empty; only 10.5 is inside a ball (of 10) → 1/4.
        #expect(result.precision == 0.25)
        // Density: 10.5 is in the balls of 10 (0.5 < 3), 11 (0.5 < 2) and 13 (2.5 < 3) → 3/(2·4) = 0.375.
        #expect(result.density == 0.375)
        // Recall: every real point is within 20 of fake 0 → 1.
        #expect(result.recall == 1)
        // Coverage: the real 0s have their nearest fake at distance 0, not < 0 → uncovered; 10, 11, 13 are covered → 3/6.
        #expect(result.coverage == 0.5)
        #expect(result.zeroRadiusRealCount == 3 && result.zeroRadiusGeneratedCount == 0)
        #expect(result.description.contains("3 real and 0 generated points have duplicates enough for an empty ball"))
        // The prdc package gives the same four numbers on this input (checked when the fixture was made).
    }

    @Test("equals the prdc package (clovaai) on 300 real and 250 generated points in 8-D, k = 1, 3, 5", arguments: [1, 3, 5])
    func matchesReferenceImplementation(k: Int) throws {
        let reference = try Reference.load()
        let expected = try #require(reference.prdc.results[String(k)])
        let result = try PrecisionRecallDensityCoverage(real: matrix(reference.prdc.real), generated: matrix(reference.prdc.fake), k: k)
        // Counts over the same strict comparisons, so the ratios are equal; density differs from
        // (1/k)·mean(counts) only in the order of one division.
        #expect(result.precision == expected.precision)
        #expect(result.recall == expected.recall)
        #expect(result.coverage == expected.coverage)
        #expect(close(result.density, expected.density, 1e-15))
    }

    @Test("Float features give the same counts as Double ones on a well-separated example")
    func floatInput() throws {
        let real = Tensor<Float>(rows: 5, columns: 1, scalars: [0, 1, 2, 3, 4])
        let fake = Tensor<Float>(rows: 2, columns: 1, scalars: [0.5, 10])
        let result = try PrecisionRecallDensityCoverage(real: real, generated: fake, k: 1)
        #expect([result.precision, result.recall, result.density, result.coverage] == [0.5, 1, 1, 0.4])
    }

    @Test("too few rows for k, mismatched widths and NaN are errors that say what is wrong")
    func errors() {
        #expect(throws: EvaluationError(metric: "PRDC", "the real set has 5 rows; k = 5 needs at least 6 (each point's k-th nearest other point)")) {
            try PrecisionRecallDensityCoverage(real: points([0, 1, 2, 3, 4]), generated: points([0, 1, 2, 3, 4, 5]))
        }
        #expect(throws: EvaluationError(metric: "PRDC", "the real set has 1 features per row but the generated set has 2")) {
            try PrecisionRecallDensityCoverage(real: points([0, 1, 2]), generated: matrix([[0, 0], [1, 1], [2, 2]]), k: 1)
        }
        #expect(throws: EvaluationError(metric: "PRDC", "the generated set has a non-finite value (nan) at row 1, column 0")) {
            try PrecisionRecallDensityCoverage(real: points([0, 1, 2]), generated: points([0, .nan, 2]), k: 1)
        }
        #expect(throws: EvaluationError(metric: "PRDC", "k must be at least 1, not 0")) {
            try PrecisionRecallDensityCoverage(real: points([0, 1, 2]), generated: points([0, 1, 2]), k: 0)
        }
    }

    @Test("the description states the four values, k and the set sizes")
    func description() throws {
        let result = try PrecisionRecallDensityCoverage(real: points([0, 1, 2, 3, 4]), generated: points([0.5, 10]), k: 1)
        #expect(result.description == "precision 0.5, recall 1, density 1, coverage 0.4 (k = 1; 5 real, 2 generated, 1-D)")
    }
}
