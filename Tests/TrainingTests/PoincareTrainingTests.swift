import Foundation
import JSONConfig
import Testing
@testable import Training

/// Poincaré-ball latents end to end on the ternary operations: training stays finite, a resumed run
/// equals the uninterrupted one, and evaluation (IWAE, coverage) runs.
@Suite("Poincaré latents in training")
struct PoincareTrainingTests {
    /// A short run on the ternary operations of valuations 2 to 4 (2,106 of them, for speed) with latents on
    /// the ball of curvature 1.5, the radial loss weighted 0.5 and balanced against the reconstruction
    /// (several backward passes through the ball's operations).
    static func config(_ model: String, epochs: Int = 4) -> String {
        """
        {"data": {"source": "ternary_operations", "validation_fraction": 0.2, "classes": [2, 3, 4]},
         "model": {"type": "\(model)", "hidden_sizes": [32], "latent_dim": 3, "latent_geometry": "poincare", "curvature": 1.5, "max_radius": 0.9},
         "training": {"num_epochs": \(epochs), "batch_size": 256, "learning_rate": 0.003, "seed": 3, "beta_granularity": "step",
                      "free_bits": {"lambda": 0.05, "variant": "per_dimension"}, "loss_weights": {"radial": 0.5},
                      "gradient_balancing": {"groups": {"reconstruction": ["reconstruction"], "geometry": ["radial"]}}}}
        """
    }

    func parameters(_ trainer: Trainer) -> [[Float]] { trainer.model.parameters.map { $0.tensor.tensor.scalars } }

    @Test("4 epochs straight equal 2 + resume 2, bit for bit, with finite losses and radii inside the ball", arguments: ["vae", "dual_vae"])
    func trainAndResume(model: String) throws {
        let configuration = try TrainingFixtures.configuration(Self.config(model))
        #expect(configuration.quantities.index(of: "radial_weight") != nil)
        let dataset = try configuration.data.load()
        let straight = try Trainer(configuration: configuration, dataset: dataset, runDirectory: TrainingFixtures.temporaryDirectory())
        #expect(try straight.run(observers: []) == .completed)
        let metrics = try #require(straight.lastMetrics)
        #expect(metrics.loss.isFinite && metrics.validationELBO?.isFinite == true, "\(metrics.loss) \(String(describing: metrics.validationELBO))")
        #expect(metrics.kl.allSatisfy { $0.value.isFinite } && metrics.klPerDimension.allSatisfy { $0.values.count == 3 })
        // The batches carry the valuations 2…4, so the radial loss is live: (‖μ‖ − t)² with t ≤ R.
        #expect(metrics.penalties.map(\.name) == ["radial"] && metrics.penalties[0].value > 0 && metrics.penalties[0].value.isFinite)
        #expect(metrics.quantities.contains { $0.name == "radial_weight" && $0.value == 0.5 })
        let radius = try #require(metrics.measurements.first { $0.name == "radius" }?.value)
        #expect(radius > 0 && radius <= 0.9 / 1.5.squareRoot() + 1e-6, "radius \(radius)")
        if model == "dual_vae" { #expect(metrics.measurements.map(\.name) == ["radius", "radius.A", "radius.B"]) }
        // The mutual information is estimated on the ball too (wrapped-normal densities), per block, below log B.
        #expect(metrics.mutualInformation.count == metrics.kl.count && metrics.mutualInformation.allSatisfy { $0.value.isFinite && $0.value <= log(Double(metrics.mutualInformationBatch ?? 1)) + 1e-9 })

        let directory = TrainingFixtures.temporaryDirectory()
        let first = try Trainer(configuration: configuration, dataset: dataset, runDirectory: directory)
        #expect(try first.run(observers: []) { first.epoch >= 2 } == .interrupted)
        let checkpoint = try Checkpoint.read(directory + "/checkpoints/last.ckpt")
        let resumed = try Trainer(configuration: configuration, dataset: dataset, runDirectory: directory)
        try resumed.restore(checkpoint, file: "last.ckpt")
        _ = try resumed.run(observers: [])
        let sameParameters = parameters(resumed) == parameters(straight)
        #expect(sameParameters)
        #expect(resumed.lastMetrics?.validationELBO == straight.lastMetrics?.validationELBO)
    }

    @Test("evaluation of a Poincaré run: the IWAE bound, exact-reconstruction coverage, generated samples")
    func evaluation() throws {
        let run = try TrainingRun.start(try TrainingFixtures.configuration(Self.config("dual_vae", epochs: 2)), in: TrainingFixtures.temporaryDirectory() + "/run")
        _ = try run.run()
        let written = try String(contentsOfFile: run.directory + "/config.json", encoding: .utf8)
        #expect(written.contains(#""latent_geometry": "poincare""#) && written.contains(#""curvature": 1.5"#))
        var options = ModelEvaluation.Options()
        options.importanceSamples = 8
        options.maximumGenerated = 300
        let report = try ModelEvaluation.evaluate(try TrainedModel.load(run.directory), options: options)
        let bound = try #require(report.logLikelihood)
        #expect(bound.mean.isFinite && bound.mean >= bound.meanLogWeight && bound.mean < 0)
        #expect(report.elbo.isFinite && abs(bound.meanLogWeight - report.elbo) < 2, "\(bound.meanLogWeight) vs \(report.elbo)")
        #expect(report.terms.map(\.name) == ["A", "B"] && report.terms.allSatisfy { $0.meanKL.isFinite && $0.mutualInformation?.nats.isFinite == true })
        let coverage = try #require(report.coverage)
        #expect(coverage.examples == 2_106 && coverage.fraction >= 0 && coverage.fraction <= 1)
        #expect(report.generator.first?.generatedCount == 300)
    }
}
