import Foundation
import Testing
@testable import Training

@Suite("Run report")
struct RunReportTests {
    @Test("a β that changes within epochs is charted as each epoch's mean beside its start value; a per-epoch β as its value")
    func perStepWeights() throws {
        // Quarter-epoch cycles are evaluated per step (beta_granularity auto): every epoch starts at β = 0.
        let perStep = TrainingFixtures.temporaryDirectory() + "/run"
        _ = try TrainingRun.start(try TrainingFixtures.configuration(TrainingFixtures.small(epochs: 2, extra: #", "beta_scheduler_type": "cyclical", "beta_scheduler_params": {"cycle_length": 0.25}"#)), in: perStep).run()
        let html = try RunReport(directories: [perStep]).html
        #expect(html.contains("beta (epoch mean)") && html.contains("beta (epoch start)") && html.contains("The weights change within epochs"))
        let perEpoch = TrainingFixtures.temporaryDirectory() + "/run"
        _ = try TrainingRun.start(try TrainingFixtures.configuration(TrainingFixtures.small(epochs: 2, extra: #", "beta_scheduler_type": "linear", "beta_scheduler_params": {"warmup_epochs": 2}"#)), in: perEpoch).run()
        let plain = try RunReport(directories: [perEpoch]).html
        #expect(!plain.contains("epoch mean") && plain.contains("At each epoch's start"))
    }
}
