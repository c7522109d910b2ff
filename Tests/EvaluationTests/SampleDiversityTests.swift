import Testing
import Tensors
@testable import Evaluation

@Suite("Sample diversity (seed 001)")
struct SampleDiversityTests {
    @Test("hand example: (0,0), (3,4), (6,8)")
    func handExample() throws {
        let result = try SampleDiversity(samples: matrix([[0, 0], [3, 4], [6, 8]]))
        // Dimension 0: 0, 3, 6, mean 3, (9 + 0 + 9)/(3 − 1) = 9 → sd 3; dimension 1: 0, 4, 8 → 16 → sd 4.
        #expect(result.standardDeviations == [3, 4])
        #expect(result.meanStandardDeviation == 3.5)
        // Pairs: 5, 10, 5 → 20/3.
        #expect(close(result.meanPairwiseDistance, 20.0 / 3, 1e-15))
        #expect(result.count == 3)
        #expect(result.description == "mean standard deviation 3.5, mean pairwise distance 6.67 (3 samples, 2-D)")
    }

    @Test("a collapsed generator (every sample the same) has no spread at all")
    func collapsed() throws {
        let result = try SampleDiversity(samples: matrix(Array(repeating: [0.3, -1.7, 2.2], count: 10)))
        #expect(result.meanPairwiseDistance == 0)
        #expect(result.standardDeviations.allSatisfy { $0 < 1e-15 })
    }

    @Test("equals NumPy std(ddof=1) and SciPy pdist(...).mean() on 60 samples in 7-D")
    func matchesReference() throws {
        let reference = try Reference.load().similarity
        let result = try SampleDiversity(samples: matrix(reference.fake))
        #expect(zip(result.standardDeviations, reference.standard_deviations).allSatisfy { close($0, $1, 1e-13) })
        #expect(close(result.meanPairwiseDistance, reference.mean_pairwise_distance, 1e-12))
    }

    @Test("one sample is an error")
    func errors() {
        #expect(throws: EvaluationError(metric: "diversity", "the set has 1 rows; a spread needs at least 2")) {
            try SampleDiversity(samples: matrix([[1, 2]]))
        }
    }
}
