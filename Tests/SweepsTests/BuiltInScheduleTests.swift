import Foundation
import JSONConfig
import Testing
@testable import Sweeps

@Suite("BuiltInSchedule")
struct BuiltInScheduleTests {
    static let hierarchicalBase = #"""
        {"data": {"source": "shapes", "validation_fraction": 0.2},
         "model": {"hidden_sizes": [16], "global_latent_dim": 2, "local_latent_dim": 2},
         "training": {"num_epochs": 30, "use_hierarchical_model": true}}
        """#

    @Test("every built-in schedule reads as anneal train reads it, for the model it suits", arguments: BuiltInSchedule.names)
    func everyBuiltInReads(name: String) throws {
        let base = name == "hierarchical" ? SweepFixtures.baseConfig(Self.hierarchicalBase) : SweepFixtures.baseConfig()
        let choice = try ScheduleChoice.read(name, numEpochs: 30)
        let plan = try SweepPlan.make(basePath: base, schedules: [choice], axes: [], seedCount: 1, epochs: 30)
        #expect(plan.groups[0].label == name && !plan.groups[0].betaSummary.isEmpty)
    }

    @Test("the names of the schedules compared in the usual dynamics table are all built in, hyphens allowed")
    func names() {
        for name in ["linear", "cosine", "cyclical", "warm_restart", "warm-restart", "hierarchical", "adaptive_warmup", "adaptive-warmup"] {
            #expect(BuiltInSchedule.named(name) != nil, "\(name)")
        }
        #expect(BuiltInSchedule.named("linaer") == nil)
    }

    @Test("warm restarts scale with the run: interval round(4E/15), at least 2")
    func restartInterval() {
        #expect(BuiltInSchedule.restartInterval(numEpochs: 150) == 40)
        #expect(BuiltInSchedule.restartInterval(numEpochs: 30) == 8)
        #expect(BuiltInSchedule.restartInterval(numEpochs: 3) == 2)
    }
}
