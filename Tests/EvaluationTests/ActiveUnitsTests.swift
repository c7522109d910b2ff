import Testing
import Tensors
@testable import Evaluation

@Suite("Active units")
struct ActiveUnitsTests {
    @Test("unbiased variance of each posterior mean, active when ≥ 0.01")
    func handExample() throws {
        // Column 0: {0, 0.2}: mean 0.1, deviations² 0.01 + 0.01 = 0.02, over N − 1 = 1 → 0.02 ≥ 0.01: active
        // (with N in the denominator it would be 0.01). Column 1: {0, 0.1} → 0.005: inactive. Column 2: {5, 5} → 0.
        let result = try ActiveUnits(posteriorMeans: matrix([[0, 0, 5], [0.2, 0.1, 5]]))
        #expect(close(result.variances[0], 0.02, 1e-15) && close(result.variances[1], 0.005, 1e-15) && result.variances[2] == 0)
        #expect(result.isActive == [true, false, false] && result.count == 1 && result.dimensions == 3 && result.examples == 2)
        #expect(result.description == "1 of 3 units active (posterior-mean variance ≥ 0.01 over 2 examples)")
    }

    @Test("the threshold is inclusive (≥, as jxhe's calc_au) and a parameter")
    func inclusiveThreshold() throws {
        // {0, 1}: mean ½, deviations² ¼ + ¼ = ½ over 1 → exactly 0.5.
        #expect(try ActiveUnits(posteriorMeans: points([0, 1]), threshold: 0.5).count == 1)
        #expect(try ActiveUnits(posteriorMeans: points([0, 1]), threshold: 0.5000001).count == 0)
    }

    @Test("a collapsed encoder (every posterior mean the same) has no active unit")
    func collapsed() throws {
        let result = try ActiveUnits(posteriorMeans: matrix(Array(repeating: [0.3, -1.1, 7, 0.01, 2, 2, 2, 2], count: 1000)))
        #expect(result.count == 0 && result.dimensions == 8)
        #expect(result.variances.allSatisfy { $0 < 1e-28 })  // two-pass variance: rounding of the mean only
    }

    @Test("equals NumPy var(ddof=1) ≥ 0.01 on 100 posterior means in 4-D (one unit at 0.0128, one at 3e-5)")
    func matchesReference() throws {
        let reference = try Reference.load().posterior
        let result = try ActiveUnits(posteriorMeans: matrix(reference.means))
        #expect(zip(result.variances, reference.active_unit_variances).allSatisfy { close($0, $1, 1e-13) })
        #expect(result.count == reference.active_units && result.count == 3)
    }

    @Test("one example or a negative threshold is an error")
    func errors() {
        #expect(throws: EvaluationError(metric: "active units", "1 examples; a variance needs at least 2")) {
            try ActiveUnits(posteriorMeans: matrix([[1, 2]]))
        }
        #expect(throws: EvaluationError(metric: "active units", "the threshold must be a number ≥ 0, not -1.0")) {
            try ActiveUnits(posteriorMeans: points([1, 2]), threshold: -1)
        }
    }
}
