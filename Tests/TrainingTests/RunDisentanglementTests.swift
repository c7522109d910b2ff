import Data
import Evaluation
import Foundation
import Testing
@testable import Training

@Suite("Run disentanglement")
struct RunDisentanglementTests {
    static var smallSizes: DisentanglementSampleSizes {
        var sizes = DisentanglementSampleSizes()
        (sizes.trainCount, sizes.testCount, sizes.trainBatches, sizes.evalBatches, sizes.varianceEstimateCount, sizes.batchSize) = (200, 100, 40, 20, 200, 16)
        return sizes
    }

    static func trainer(_ model: String, extra: String = "") throws -> Trainer {
        let configuration = try TrainingFixtures.configuration(#"""
            {"data": {"source": "dsprites", "resolution": 32, "subset": 600, "validation_fraction": 0.2},
             "model": {"type": "\#(model)", "architecture": "mlp", "hidden_sizes": [32], "latent_dim": 4\#(extra)},
             "training": {"num_epochs": 1, "steps_per_epoch": 3, "batch_size": 32}}
            """#)
        return try Trainer(configuration: configuration, dataset: try configuration.data.load(), runDirectory: nil)
    }

    @Test("dsprites: every metric on the posterior means, FactorVAE from the renderer; a hierarchical model's blocks scored apart; the same seed gives the same figures")
    func dsprites() throws {
        let trainer = try Self.trainer("vae")
        let metrics: [DisentanglementMetric] = [.mig, .dci, .factorVAE, .sap, .unsupervised]
        func run() throws -> (blocks: [RunDisentanglement.Block], notes: [String]) {
            try RunDisentanglement.evaluate(model: trainer.model, dataset: trainer.dataset, conditioned: false, context: trainer.validationContext(),
                                            metrics: metrics, sizes: Self.smallSizes)
        }
        let (blocks, notes) = try run()
        #expect(blocks.map(\.name) == ["whole code"] && blocks[0].dimensions == 4)
        #expect(blocks[0].results.map(\.key) == ["mig", "dci", "factor_vae", "sap", "unsupervised"])
        #expect(notes.contains { $0.contains("drawn by the dsprites renderer over the full factor grid") })
        // Every figure is a number in its range, or "not defined", never NaN.
        for result in blocks[0].results { for figure in result.figures { #expect(figure.value.map { $0.isFinite } ?? true, "\(result.key) \(figure.key)") } }
        let mig = try #require(blocks[0].results[0].figures.first?.value)
        #expect(mig >= 0 && mig <= 1)
        let again = try run()
        #expect(again.blocks[0].results.map { $0.figures.map(\.value) } == blocks[0].results.map { $0.figures.map(\.value) })
        let json = RunDisentanglement.json(blocks, notes: notes, examples: 300, seed: 0)
        guard case .array(let jsonBlocks)? = json["blocks"]?.kind else { Issue.record("no blocks in \(json)"); return }
        #expect(jsonBlocks.first?["metrics"]?["mig"]?["figures"] != nil && jsonBlocks.first?["name"] == .string("whole code"))

        let hierarchical = try Self.trainer("hierarchical_cvae", extra: #", "global_latent_dim": 2, "local_latent_dim": 3"#)
        let split = try RunDisentanglement.evaluate(model: hierarchical.model, dataset: hierarchical.dataset, conditioned: true,
                                                    context: hierarchical.validationContext(), metrics: [.mig, .factorVAE], sizes: Self.smallSizes)
        #expect(split.blocks.map(\.name) == ["whole code", "global", "local"] && split.blocks.map(\.dimensions) == [5, 2, 3])
    }

    @Test("data without factors is refused with what would give them")
    func noFactors() throws {
        let configuration = try TrainingFixtures.configuration(TrainingFixtures.small(epochs: 1))
        let trainer = try Trainer(configuration: configuration, dataset: try configuration.data.load(), runDirectory: nil)
        #expect { _ = try RunDisentanglement.evaluate(model: trainer.model, dataset: trainer.dataset, conditioned: false, context: trainer.validationContext(), metrics: [.mig]) } throws: {
            "\($0)".contains("has no factors") && "\($0)".contains("data.factors_path")
        }
    }
}
