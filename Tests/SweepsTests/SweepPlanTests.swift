import Foundation
import JSONConfig
import Testing
@testable import Sweeps

@Suite("SweepPlan")
struct SweepPlanTests {
    static func plan(_ base: String = SweepFixtures.baseConfig(), schedules: [String], sets: [String] = [], seeds: Int = 2, epochs: Int? = nil) throws -> SweepPlan {
        let choices = try schedules.map { try ScheduleChoice.read($0, numEpochs: epochs ?? 4) }
        return try SweepPlan.make(basePath: base, schedules: choices, axes: try sets.map(SweepAxis.parse), seedCount: seeds, epochs: epochs)
    }

    @Test("schedules × axis values × seeds, schedules outermost, in the order given")
    func groupsAndSeeds() throws {
        let plan = try Self.plan(schedules: ["linear", "cosine"], sets: ["training.learning_rate=0.001,0.003"], seeds: 3)
        #expect(plan.groups.map(\.label) == ["linear, training.learning_rate=0.001", "linear, training.learning_rate=0.003",
                                             "cosine, training.learning_rate=0.001", "cosine, training.learning_rate=0.003"])
        #expect(plan.trials.count == 12 && Set(plan.trials.map(\.id)).count == 12 && plan.seeds == [0, 1, 2])
        #expect(plan.trials.map(\.group) == [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3])
        #expect(plan.groups[1].settings == [TrialGroup.Setting(keyPath: "training.learning_rate", value: "0.003")])
        #expect(plan.groups[1].slug == "linear-learning_rate=0.003")
        // Each trial's config is the base with the schedule's β keys, the axis value and the seed.
        let config = try #require(plan.trials[4].configuration)
        #expect(config["training"]?["beta_scheduler_type"] == .string("linear"))
        #expect(config["training"]?["learning_rate"] == .number(0.003) && config["training"]?["seed"] == .number(1))
        #expect(config["description"].map(JSONWriter.compact)?.contains("linear, training.learning_rate=0.003, seed 1") == true)
    }

    @Test("ids are the same for the same runss however the base spells them, and differ when anything changes")
    func deterministicIds() throws {
        let a = try Self.plan(schedules: ["cyclical"], seeds: 2)
        // The same run with a default written out and a number spelled differently.
        let spelled = SweepFixtures.baseConfig(#"""
            {"data": {"source": "shapes", "validation_fraction": 2e-1},
             "model": {"type": "vae", "hidden_sizes": [16], "latent_dim": 3},
             "training": {"num_epochs": 4, "batch_size": 64, "learning_rate": 3e-3, "checkpoint_every": 1, "seed": 0}}
            """#)
        let b = try Self.plan(spelled, schedules: ["cyclical"], seeds: 2)
        #expect(a.trials.map(\.id) == b.trials.map(\.id))
        let c = try Self.plan(schedules: ["cyclical"], sets: ["training.batch_size=32"], seeds: 2)
        #expect(Set(a.trials.map(\.id)).isDisjoint(with: c.trials.map(\.id)))
        // A plan read back from plan.json has the same trials.
        let back = try SweepPlan(json: a.json, file: "plan.json")
        #expect(back.sameTrials(as: a) && back.groups == a.groups)
    }

    @Test("the base's own schedule when no --schedules; --epochs sets every trial's length")
    func baseSchedule() throws {
        let plan = try Self.plan(schedules: [], seeds: 1, epochs: 2)
        #expect(plan.groups.map(\.label) == ["base"] && plan.trials.count == 1)
        #expect(plan.trials[0].configuration?["training"]?["num_epochs"] == .number(2))
    }

    @Test("errors name the flag or schedule that caused them", arguments: [
        (["linear", "linear"], [String](), "--schedules: linear is given twice", true),
        (["linear"], ["training.seed=1,2"], "--set training.seed: seeds come from --seeds", true),
        (["linear"], ["training.learning_rate=0.1", "training.learning_rate=0.2"], "is given twice", true),
        (["linear"], ["training.learning_rate=-1"], "--set training.learning_rate=-1: training.learning_rate: must be greater than 0", true),
        (["linear"], ["model.latent_dimm=4"], "--set model.latent_dimm=4: model.latent_dimm: unknown key", true),
        (["linear"], ["training.learning_rate.x=1"], "--set training.learning_rate.x=1: training.learning_rate is", true),
    ])
    func errors(schedules: [String], sets: [String], expected: String, usage: Bool) {
        do {
            _ = try Self.plan(schedules: schedules, sets: sets)
            Issue.record("no error for \(schedules) \(sets)")
        } catch {
            #expect(error is SweepError && "\(error)".contains(expected), "\(error)")
            #expect((error as? SweepError)?.isUsage == usage)
        }
    }

    @Test("a base config with a missing data file is refused before anything runs")
    func missingData() {
        let base = SweepFixtures.baseConfig(#"{"data": {"source": "npy", "path": "nowhere.npy"}, "model": {"type": "vae"}}"#)
        #expect { try Self.plan(base, schedules: ["linear"]) } throws: { error in "\(error)".contains("nowhere.npy") }
    }
}
