import Testing
@testable import Training

@Suite("Every model trains on both built-in data sets")
struct ModelTrainingTests {
    static let cases: [(String, String)] = ["vae", "cvae", "hierarchical_cvae"].flatMap { model in [(model, "shapes"), (model, "ternary_operations")] }

    @Test("the validation ELBO after 3 epochs is clearly better than after the first", arguments: cases)
    func improves(model: String, data: String) throws {
        let text = TrainingFixtures.small(model, data: data, epochs: 3, batchSize: data == "shapes" ? 64 : 512)
        let configuration = try TrainingFixtures.configuration(text)
        let trainer = try Trainer(configuration: configuration, dataset: try configuration.data.load(), runDirectory: TrainingFixtures.temporaryDirectory())
        _ = try trainer.run(observers: [])
        let first = try #require(trainer.firstValidationELBO), last = try #require(trainer.lastMetrics?.validationELBO)
        #expect(last > first + 1, "\(model) on \(data): validation ELBO \(first) → \(last)")
        #expect(trainer.lastMetrics?.kl.count == (model == "hierarchical_cvae" ? 2 : 1))
    }
}
