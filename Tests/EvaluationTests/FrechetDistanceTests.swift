import Foundation
import Testing
import Tensors
@testable import Evaluation

@Suite("Fréchet distance")
struct FrechetDistanceTests {
    static func gaussianDistance(_ mean1: [Double], _ covariance1: [[Double]], _ mean2: [Double], _ covariance2: [[Double]]) throws -> FrechetDistance {
        try FrechetDistance(firstMean: mean1, firstCovariance: matrix(covariance1), secondMean: mean2, secondCovariance: matrix(covariance2))
    }

    @Test("N(0, 1) vs N(1, 4) → (0 − 1)² + 1 + 4 − 2·√(1·4) = 2")
    func oneDimension() throws {
        let result = try Self.gaussianDistance([0], [[1]], [1], [[4]])
        #expect(close(result.distance, 2, 1e-15))
        #expect(close(result.meanTerm, 1, 1e-15) && close(result.covarianceTerm, 1, 1e-15))
        #expect(result.realCount == nil && result.dimensions == 1)
    }

    @Test("diagonal: μ (0, 0) vs (1, 2), sd (1, 2) vs (3, 1) → 5 + (1 + 9 − 2·3) + (4 + 1 − 2·2) = 10")
    func diagonal() throws {
        let result = try Self.gaussianDistance([0, 0], [[1, 0], [0, 4]], [1, 2], [[9, 0], [0, 1]])
        #expect(close(result.distance, 10, 1e-15))
        #expect(close(result.meanTerm, 5, 1e-15) && close(result.covarianceTerm, 5, 1e-15))
    }

    @Test("the same Gaussian, correlated, is 0 apart")
    func sameGaussian() throws {
        let covariance = [[2.0, 0.6, -0.3], [0.6, 1.0, 0.2], [-0.3, 0.2, 0.5]]
        let result = try Self.gaussianDistance([1, -2, 3], covariance, [1, -2, 3], covariance)
        #expect(result.meanTerm == 0)
        #expect(abs(result.distance) < 1e-14)
    }

    @Test("non-commuting 2 × 2 covariances: Tr((Σ₁Σ₂)^½) = √(Tr(Σ₁Σ₂) + 2√(det Σ₁·det Σ₂))")
    func nonCommuting() throws {
        // Σ₁ = [[2, 1], [1, 2]], Σ₂ = diag(1, 4): Σ₁Σ₂ = [[2, 4], [1, 8]], trace 10; det Σ₁ = 3, det Σ₂ = 4.
        // For 2 × 2, (√λ₁ + √λ₂)² = λ₁ + λ₂ + 2√(λ₁λ₂) = Tr + 2√det, so Tr((Σ₁Σ₂)^½) = √(10 + 2√12) ≈ 4.11439.
        // d² = 0 + (4 + 5) − 2·4.11439 ≈ 0.771216.
        let result = try Self.gaussianDistance([0, 0], [[2, 1], [1, 2]], [0, 0], [[1, 0], [0, 4]])
        let expected = 9 - 2 * (10 + 2 * 12.0.squareRoot()).squareRoot()
        #expect(close(result.distance, expected, 1e-14))
    }

    @Test("a singular covariance needs no ε offset: Σ₁ = [[1, 1], [1, 1]], Σ₂ = diag(1, 0) → 2 + 1 − 2·1 = 1")
    func singular() throws {
        // Σ₁Σ₂ = [[1, 0], [1, 0]]: trace 1, det 0, so Tr((Σ₁Σ₂)^½) = √(1 + 0) = 1.
        let result = try Self.gaussianDistance([0, 0], [[1, 1], [1, 1]], [0, 0], [[1, 0], [0, 0]])
        #expect(close(result.distance, 1, 1e-14))
    }

    @Test("equals SciPy's sqrtm formula (pytorch-fid's) on samples and on given 6-D statistics")
    func matchesReference() throws {
        let reference = try Reference.load().frechet
        let sampled = try FrechetDistance(real: matrix(reference.real), generated: matrix(reference.fake))
        #expect(close(sampled.distance, reference.samples_distance, 1e-10))
        #expect(sampled.realCount == 400 && sampled.generatedCount == 300 && sampled.dimensions == 5)
        let statistics = try Self.gaussianDistance(reference.mean1, reference.covariance1, reference.mean2, reference.covariance2)
        #expect(close(statistics.distance, reference.statistics_distance, 1e-10))
    }

    @Test("samples of N(μ₁, Σ₁) and N(μ₂, Σ₂) land near the exact distance, N − 1 covariances")
    func sampledSanity() throws {
        // Σ₁ = L₁L₁ᵀ with L₁ = [[1, 0], [0.5, 1]]: [[1, 0.5], [0.5, 1.25]]; Σ₂ = L₂L₂ᵀ, L₂ = [[2, 0], [−1, 0.5]]: [[4, −2], [−2, 1.25]].
        let exact = try Self.gaussianDistance([0, 0], [[1, 0.5], [0.5, 1.25]], [1, -1], [[4, -2], [-2, 1.25]])
        func sample(_ l: [[Double]], _ mean: [Double], seed: UInt64) -> Tensor<Double> {
            let noise = gaussian(rows: 40_000, columns: 2, seed: seed).scalars
            var values = [Double]()
            for row in 0..<40_000 {
                let e0 = noise[2 * row], e1 = noise[2 * row + 1]
                values += [mean[0] + l[0][0] * e0, mean[1] + l[1][0] * e0 + l[1][1] * e1]
            }
            return Tensor(rows: 40_000, columns: 2, scalars: values)
        }
        let sampled = try FrechetDistance(real: sample([[1, 0], [0.5, 1]], [0, 0], seed: 11), generated: sample([[2, 0], [-1, 0.5]], [1, -1], seed: 12))
        // With 40,000 samples the means and covariances are off by about 1/√40000 = 0.005 of their scale.
        #expect(abs(sampled.distance - exact.distance) < 0.05 * exact.distance)
        #expect(!close(sampled.distance, exact.distance, 1e-6))  // a sample estimate, not the exact value
    }

    @Test("identical sample sets are 0 apart")
    func identicalSamples() throws {
        let set = gaussian(rows: 50, columns: 4, seed: 5)
        #expect(abs(try FrechetDistance(real: set, generated: set).distance) < 1e-12)
    }

    @Test("asymmetric or indefinite covariances, mismatched shapes and one-row sets are errors")
    func errors() {
        #expect(throws: EvaluationError(metric: "Fréchet distance", "the first covariance is not symmetric: [1, 0] = 0.0 but [0, 1] = 1.0")) {
            try Self.gaussianDistance([0, 0], [[1, 1], [0, 1]], [0, 0], [[1, 0], [0, 1]])
        }
        #expect(throws: EvaluationError(metric: "Fréchet distance", "the second covariance is not positive semi-definite (eigenvalue -1.0)")) {
            try Self.gaussianDistance([0, 0], [[1, 0], [0, 1]], [0, 0], [[1, 0], [0, -1]])
        }
        #expect(throws: EvaluationError(metric: "Fréchet distance", "the second Gaussian has a mean of 3 values and a 2 × 2 covariance; both must be of dimension 2")) {
            try Self.gaussianDistance([0, 0], [[1, 0], [0, 1]], [0, 0, 0], [[1, 0], [0, 1]])
        }
        #expect(throws: EvaluationError(metric: "Fréchet distance", "the real set has 1 rows; a covariance needs at least 2")) {
            try FrechetDistance(real: points([1]), generated: points([1, 2]))
        }
    }
}
