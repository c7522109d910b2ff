import Testing
@testable import Training

@Suite("Model sampling")
struct ModelSamplingTests {
    @Test("temperature 0 decodes the prior's mode for every sample; 1 gives different samples; the same seed repeats")
    func temperature() throws {
        let trained = try TrainedModel.load(try ModelEvaluationTests.trainedRun(epochs: 1))
        let mode = ModelSampling.prior(trained, count: 3, temperature: 0, label: nil, seed: 1)
        let width = mode.featureCount
        #expect(mode.means[0..<width] == mode.means[width..<(2 * width)])
        let drawn = ModelSampling.prior(trained, count: 3, temperature: 1, label: nil, seed: 1)
        #expect(drawn.means[0..<width] != drawn.means[width..<(2 * width)])
        #expect(ModelSampling.prior(trained, count: 3, temperature: 1, label: nil, seed: 1).means == drawn.means)
        #expect(drawn.latents.count == 3 * 3 && drawn.means.allSatisfy { $0 > 0 && $0 < 1 })
    }

    @Test("an interpolation starts and ends at the two examples' posterior means")
    func interpolation() throws {
        let trained = try TrainedModel.load(try ModelEvaluationTests.trainedRun(epochs: 1))
        let line = ModelSampling.interpolation(trained, from: 2, to: 9, steps: 5, label: nil)
        #expect(line.count == 5 && line.latents.count == 5 * 3)
        // Evenly spaced: the middle code is the average of the ends.
        for d in 0..<3 { #expect(abs(line.latents[2 * 3 + d] - (line.latents[d] + line.latents[4 * 3 + d]) / 2) < 1e-6) }
    }
}
