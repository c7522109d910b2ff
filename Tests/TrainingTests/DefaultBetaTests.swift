import Foundation
import JSONConfig
import Schedules
import Testing
@testable import Training

/// The default β (4 ramp cycles over the run) fitted to a run too short for 4 cycles of 8 steps.
@Suite("Default β on short runs")
struct DefaultBetaTests {
    @Test("fewer steps than 4 cycles of 8: as many cycles as fit, at least one; config.json records them; β rises within the run")
    func fitted() throws {
        // shapes: 768 examples, 20 % held out → 614 training, batch 64 → 10 steps an epoch.
        for (epochs, cycles) in [(1, 1), (2, 2), (3, 3), (4, 4), (24, 4)] {
            let configuration = try TrainingFixtures.configuration(#"{"data": {"source": "shapes", "validation_fraction": 0.2}, "model": {"hidden_sizes": [8], "latent_dim": 2}, "training": {"num_epochs": \#(epochs), "batch_size": 64}}"#)
            #expect(configuration.betaIsDefault)
            let trainer = try Trainer(configuration: configuration, dataset: try configuration.data.load(), runDirectory: nil)
            // 10·epochs steps → min(4, ⌊10·epochs/8⌋) cycles of epochs/cycles epochs each.
            let cycleLength = trainer.configuration.json["training"]?["beta_scheduler_params"]?["cycle_length"]
            #expect(cycleLength == .number(Double(epochs) / Double(cycles)), "\(epochs) epochs")
            #expect((trainer.betaNote != nil) == (cycles < 4))
            // Evaluated per step, β over the run's steps reaches 1 (the middle of the first cycle).
            let plan = trainer.configuration.quantities, index = try #require(plan.index(of: "beta"))
            let steps = epochs * trainer.stepsPerEpoch
            let peak = (0..<steps).map { plan.values(at: .batch($0 % trainer.stepsPerEpoch, ofEpoch: $0 / trainer.stepsPerEpoch, stepsPerEpoch: trainer.stepsPerEpoch))[index] }.max() ?? 0
            #expect(peak == 1, "\(epochs) epochs: β peaks at \(peak)")
        }
        // A β the config names is never changed, even when it is too short (the warning says so instead).
        let named = try TrainingFixtures.configuration(#"{"data": {"source": "shapes"}, "model": {"hidden_sizes": [8], "latent_dim": 2}, "training": {"num_epochs": 1, "beta_scheduler_type": "cyclical", "beta_scheduler_params": {"num_cycles": 4}}}"#)
        #expect(named.fittingDefaultBeta(stepsPerEpoch: 1) == nil)
    }

    @Test("a run folder records the fitted cycles, says so at the start, and resumes with them")
    func recordedAndResumed() throws {
        let directory = TrainingFixtures.temporaryDirectory() + "/run"
        let configuration = try TrainingFixtures.configuration(#"{"data": {"source": "shapes", "validation_fraction": 0.2}, "model": {"hidden_sizes": [8], "latent_dim": 2}, "training": {"num_epochs": 2, "batch_size": 64}}"#)
        let run = try TrainingRun.start(configuration, in: directory)
        #expect(run.notes.contains { $0.hasPrefix("β: the default's 4 cycles would be 5 steps each in this run of 20 steps (2 epochs × 10), too short to rise; it uses 2 cycles of 1 epochs instead") })
        _ = try run.run()
        let written = try RunConfiguration.load(file: directory + "/config.json")
        #expect(!written.betaIsDefault)
        #expect(written.json["training"]?["beta_scheduler_params"]?["cycle_length"] == .number(1))
        let resumed = try TrainingRun.resume(directory, epochs: 3)
        #expect(resumed.warnings.isEmpty && resumed.trainer.betaNote == nil)
    }
}
