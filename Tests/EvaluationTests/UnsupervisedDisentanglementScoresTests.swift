import Tensors
import Testing
@testable import Evaluation

@Suite("Unsupervised disentanglement scores")
struct UnsupervisedDisentanglementScoresTests {
    @Test("NumPy's and SciPy's values on the fixture (slogdet, sqrtm, mutual_info_score)")
    func againstReference() throws {
        let fixture = DisentanglementReference.shared.codes_and_factors
        let result = try UnsupervisedDisentanglementScores(codes: singleCodes(fixture.codes))
        #expect(abs(result.gaussianTotalCorrelation! - fixture.gaussian_total_correlation) < 1e-12)
        #expect(abs(result.wassersteinDependency - fixture.wasserstein_dependency) < 1e-10)
        #expect(abs(result.normalizedWassersteinDependency! - fixture.normalized_wasserstein_dependency) < 1e-10)
        #expect(abs(result.meanMutualInformation! - fixture.mean_mutual_information) < 1e-13)
    }

    @Test("uncorrelated codes (the four corners of a square): total correlation and Wasserstein dependency 0")
    func uncorrelated() throws {
        // Covariance diag(4/3, 4/3): log det = Σ log diag, and (diag Σ·Σ)^½ = Σ exactly.
        let result = try UnsupervisedDisentanglementScores(codes: Tensor<Double>([[1, 1], [1, -1], [-1, 1], [-1, -1]]))
        #expect(abs(result.gaussianTotalCorrelation!) < 1e-15 && abs(result.wassersteinDependency) < 1e-14)
    }

    @Test("a constant code: total correlation not defined (singular covariance), never a NaN")
    func constantCode() throws {
        let result = try UnsupervisedDisentanglementScores(codes: Tensor<Double>([[1, 3], [2, 3], [4, 3]]))
        #expect(result.gaussianTotalCorrelation == nil && !result.notes.isEmpty)
        #expect(result.wassersteinDependency.isFinite && result.meanMutualInformation == 0)
    }
}
