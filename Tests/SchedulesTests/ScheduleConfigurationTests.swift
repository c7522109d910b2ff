import JSONConfig
import Testing
@testable import Schedules

/// Every JSON example of seed 000 parses as written and means what the seed says.
@Suite("Seed configs")
struct SeedConfigTests {
    @Test("every seed example file parses", arguments: Fixtures.seedFiles.filter { !$0.contains("tuning") && !$0.contains("mixed") })
    func parses(file: String) throws {
        let configuration = try ScheduleConfiguration.load(file: Fixtures.seed(file))
        #expect(!configuration.beta.terms.isEmpty)
    }

    @Test("cyclical: cycle_length 20, 0 → 1, cosine wave, 100 epochs")
    func cyclical() throws {
        let configuration = try ScheduleConfiguration.load(file: Fixtures.seed("000_cyclical_beta_config.json"))
        #expect(configuration.numEpochs == 100)
        #expect(configuration.beta == .single(.cyclical(CyclicalSchedule(start: 0, end: 1, cycleLength: 20, wave: .cosine))))
        let bare = try ScheduleConfiguration.load(file: Fixtures.seed("000_cyclical_params.json"))
        #expect(bare.beta == configuration.beta)
        #expect(bare.numEpochs == nil)
    }

    @Test("warm restart: cosine base to 1.0 over 20 epochs, restarts at 40, 88, 146")
    func warmRestart() throws {
        let configuration = try ScheduleConfiguration.load(file: Fixtures.seed("000_warm_restart_config.json"))
        let expected = WarmRestartSchedule(base: .ramp(RampSchedule(shape: .cosine, start: 0, end: 1, length: .epochs(20))), restartInterval: 40, restartMultiplier: 1.2)
        #expect(configuration.beta == .single(.warmRestart(expected)))
        #expect(configuration.beta.terms[0].schedule.restartEpochs(before: 150) == [40, 88, 146])
    }

    @Test("hierarchical: global cosine to 0.01, local cyclical to 0.02, via hierarchical_beta_config or beta_scheduler_params")
    func hierarchical() throws {
        let configuration = try ScheduleConfiguration.load(file: Fixtures.seed("000_hierarchical_config.json"))
        let expected = KLWeightSchedule.hierarchical(
            global: .ramp(RampSchedule(shape: .cosine, start: 0, end: 0.01, length: .epochs(10))),
            local: .cyclical(CyclicalSchedule(start: 0, end: 0.02, cycleLength: 25, wave: .cosine)))
        #expect(configuration.beta == expected)
        #expect(configuration.useHierarchicalModel == true)
        #expect(configuration.beta.reportedNames == ["global_kl_weight", "local_kl_weight"])
        #expect(try ScheduleConfiguration.load(file: Fixtures.seed("000_hierarchical_params.json")).beta == expected)
    }

    @Test("the mixed-strategies example: a warm restart as the global scheduler, flattened")
    func mixedStrategies() throws {
        let params = try ConfigFile.load(Fixtures.seed("000_mixed_strategies_hierarchical_params.json"))
        let configuration = try ScheduleConfiguration.parse(.object([("beta_scheduler_type", .string("hierarchical")), ("beta_scheduler_params", params)]))
        let global = WarmRestartSchedule(base: .ramp(RampSchedule(shape: .cosine, start: 0, end: 0.01, length: .epochs(10))), restartInterval: 30, restartMultiplier: 1)
        #expect(configuration.beta == .hierarchical(global: .warmRestart(global), local: .cyclical(CyclicalSchedule(start: 0, end: 0.02, cycleLength: 15, wave: .triangle))))
    }

    @Test("the parameter-tuning fragments are valid parameters of their types")
    func tuningFragments() throws {
        let short = try Schedule(type: "cyclical", parameters: try ConfigFile.load(Fixtures.seed("000_tuning_cyclical_short.json")))
        #expect(short == .cyclical(CyclicalSchedule(start: 0, end: 1, cycleLength: 15, wave: .cosine)))
        let long = try Schedule(type: "cyclical", parameters: try ConfigFile.load(Fixtures.seed("000_tuning_cyclical_long.json")))
        #expect(long == .cyclical(CyclicalSchedule(start: 0.1, end: 0.8, cycleLength: 40, wave: .cosine)))
        for name in ["000_tuning_warm_restart_frequent.json", "000_tuning_warm_restart_adaptive.json"] {
            var members = (try ConfigFile.load(Fixtures.seed(name))).members!.map { ($0.key, $0.value) }
            members.append(("base_scheduler_type", .string("cosine")))
            members.append(("base_scheduler_kwargs", Fixtures.json(#"{"max_beta": 1.0, "warmup_epochs": 10}"#)))
            #expect(throws: Never.self) { try Schedule(type: "warm_restart", parameters: .object(members)) }
        }
    }

    @Test("the factory's fallback from the seed: get_beta_scheduler(\"cosine\", max_beta=1.0, warmup_epochs=10)")
    func factory() throws {
        #expect(throws: ConfigError.self) { try Schedule(type: "cyclical", parameters: Fixtures.json(#"{"cycle_length": -1}"#)) }
        let fallback = try Schedule(type: "cosine", parameters: Fixtures.json(#"{"max_beta": 1.0, "warmup_epochs": 10}"#))
        #expect(fallback == .ramp(RampSchedule(shape: .cosine, start: 0, end: 1, length: .epochs(10))))
    }

    @Test("every example in examples/ parses and gives no warning over its own num_epochs", arguments: Fixtures.exampleFiles)
    func examples(name: String) throws {
        let configuration = try ScheduleConfiguration.load(file: Fixtures.example(name))
        let window = RunWindow(numEpochs: try #require(configuration.numEpochs))
        #expect(configuration.warnings(over: window).isEmpty)
    }
}

@Suite("Config features")
struct ScheduleConfigurationTests {
    @Test("warm-ups in epochs, steps or as a ratio of num_epochs")
    func warmupUnits() throws {
        #expect(try Fixtures.beta(#"{"beta_scheduler_type": "linear", "beta_scheduler_params": {"warmup_steps": 500}}"#)
                == .ramp(RampSchedule(shape: .linear, length: .steps(500))))
        #expect(try Fixtures.beta(#"{"num_epochs": 40, "beta_scheduler_type": "linear", "beta_scheduler_params": {"warmup_ratio": 0.25}}"#)
                == .ramp(RampSchedule(shape: .linear, length: .epochs(10))))  // 0.25·40
        // --epochs replaces num_epochs before ratios are resolved.
        #expect(try Fixtures.beta(#"{"num_epochs": 40, "beta_scheduler_type": "linear", "beta_scheduler_params": {"warmup_ratio": 0.25}}"#, numEpochs: 100)
                == .ramp(RampSchedule(shape: .linear, length: .epochs(25))))
    }

    @Test("num_cycles M over num_epochs gives L = num_epochs/M, not rounded")
    func numCycles() throws {
        let schedule = try Fixtures.beta(#"{"num_epochs": 100, "beta_scheduler_type": "cyclical", "beta_scheduler_params": {"num_cycles": 3, "wave_type": "ramp"}}"#)
        #expect(schedule == .cyclical(CyclicalSchedule(start: 0, end: 1, cycleLength: 100.0 / 3.0, wave: .ramp(ratio: 0.5))))
    }

    @Test("no beta_scheduler_type: the recommended cyclical default (4 ramp cycles, ratio 0.5)")
    func recommendedDefault() throws {
        let configuration = try Fixtures.configuration(#"{"training": {"num_epochs": 40}}"#)
        #expect(configuration.beta == .single(.cyclical(CyclicalSchedule(start: 0, end: 1, cycleLength: 10, wave: .ramp(ratio: 0.5)))))
    }

    @Test("per_term: any number of named KL terms, in file order")
    func perTerm() throws {
        let configuration = try Fixtures.configuration(#"""
        {"beta_scheduler_type": "per_term", "beta_scheduler_params": {"terms": {
            "z3": {"type": "constant", "beta": 0.5},
            "z1": {"type": "linear", "warmup_epochs": 4},
            "z2": {"type": "cyclical", "cycle_length": 8, "wave_type": "triangle"}}}}
        """#)
        #expect(configuration.beta.terms.map(\.name) == ["z3", "z1", "z2"])
        #expect(configuration.beta.reportedNames == ["z3_kl_weight", "z1_kl_weight", "z2_kl_weight"])
        #expect(configuration.beta.weights(at: .epoch(2)) == [0.5, 0.5, 0.5])
        let ordered = try Fixtures.configuration(#"""
        {"beta_scheduler_type": "per_term", "beta_scheduler_params": {"terms": [
            {"name": "z3", "type": "constant", "beta": 0.5},
            {"name": "z1", "type": "linear", "warmup_epochs": 4},
            {"name": "z2", "type": "cyclical", "cycle_length": 8, "wave_type": "triangle"}]}}
        """#)
        #expect(ordered == configuration)
    }

    @Test("every schedule type, nested in combinators, reads back what it writes", arguments: ScheduleConfigurationTests.roundTripConfigs)
    func roundTrip(text: String) throws {
        let configuration = try Fixtures.configuration(text, numEpochs: 60)
        let written = JSONWriter.pretty(configuration.json)
        let reread = try ScheduleConfiguration.parse(try JSONParser.parse(written))
        #expect(reread == configuration, "\(written)")
        // The description of a schedule is its nested JSON, which the factory reads back.
        for term in configuration.beta.terms {
            let nested = try JSONParser.parse(term.schedule.description)
            var members = nested.members!
            let type = members.removeFirst()
            if case .string(let name) = type.value.kind {
                #expect(try Schedule(type: name, parameters: JSONValue(.object(members))) == term.schedule)
            }
        }
    }

    static let roundTripConfigs = [
        #"{"beta_scheduler_type": "constant", "beta_scheduler_params": {"beta": 0.25}}"#,
        #"{"beta_scheduler_type": "linear", "beta_scheduler_params": {"min_beta": 0.1, "max_beta": 0.9, "warmup_ratio": 0.3}}"#,
        #"{"beta_scheduler_type": "cosine", "beta_scheduler_params": {"warmup_steps": 1000}}"#,
        #"{"beta_scheduler_type": "exponential", "beta_scheduler_params": {"warmup_epochs": 7, "rate": 3}}"#,
        #"{"beta_scheduler_type": "sigmoid", "beta_scheduler_params": {"steepness": 0.0025, "midpoint_steps": 2500}}"#,
        #"{"beta_scheduler_type": "cyclical", "beta_scheduler_params": {"num_cycles": 4, "wave_type": "ramp", "ratio": 0.25}}"#,
        #"{"beta_scheduler_type": "warm_restart", "beta_scheduler_params": {"base_scheduler_type": "exponential", "base_scheduler_kwargs": {"warmup_epochs": 5}, "restart_interval": 12.5, "restart_multiplier": 1.5}}"#,
        #"{"beta_scheduler_type": "adaptive_warmup", "beta_scheduler_params": {"beta_warmup_ratio": 0.25}}"#,
        #"{"beta_scheduler_type": "piecewise", "beta_scheduler_params": {"knots": [[0, 0.3], [40, 0.8], [50, 0.8], [50, 1]], "interpolation": "cosine"}}"#,
        #"{"beta_scheduler_type": "join", "beta_scheduler_params": {"schedules": [{"type": "constant", "beta": 0}, {"type": "repeat", "period": 10, "schedule": {"type": "linear", "warmup_epochs": 5}}], "boundaries": [10]}}"#,
        #"{"beta_scheduler_type": "scale", "beta_scheduler_params": {"factor": 0.01, "schedule": {"type": "clamp", "min": 0.1, "schedule": {"type": "sigmoid", "steepness": 1, "midpoint_ratio": 0.5}}}}"#,
        #"{"beta_scheduler_type": "hierarchical", "beta_scheduler_params": {"global_scheduler": {"type": "warm_restart", "base_scheduler_type": "linear", "base_scheduler_kwargs": {"warmup_epochs": 3}, "restart_interval": 9}, "local_scheduler": {"type": "cyclical", "cycle_length": 6}}}"#,
        #"{"beta_scheduler_type": "per_term", "beta_scheduler_params": {"terms": {"a": {"type": "constant"}, "b": {"type": "linear", "warmup_epochs": 2}}}}"#,
        #"{"beta_scheduler_type": "constant", "learning_rate": 0.01, "lr_scheduler": {"type": "cosine_warm_restarts", "T_0": 10, "T_mult": 2, "eta_min": 1e-6, "warmup_epochs": 2, "warmup_start_factor": 0.1}}"#,
        #"{"beta_scheduler_type": "constant", "learning_rate": 0.01, "lr_scheduler": {"type": "step", "step_size": 5, "gamma": 0.5}}"#,
        #"{"beta_scheduler_type": "constant", "learning_rate": 0.01, "lr_scheduler": {"type": "exponential", "gamma": 0.95, "warmup_steps": 100}}"#,
        #"{"beta_scheduler_type": "constant", "learning_rate": 0.01, "lr_scheduler": {"type": "cosine", "warmup_ratio": 0.1}}"#,
        #"{"beta_scheduler_type": "constant", "learning_rate": 0.003}"#,
    ]

    @Test("learning_rate + lr_scheduler build the learning-rate schedule; cosine's T_max defaults to what the warm-up leaves")
    func learningRate() throws {
        let configuration = try Fixtures.configuration(#"{"num_epochs": 50, "learning_rate": 0.01, "lr_scheduler": {"type": "cosine", "warmup_epochs": 5}}"#)
        #expect(configuration.learningRate == LearningRate(base: 0.01, schedule: .linearWarmup(LinearWarmupSchedule(base: 0.01, length: .epochs(5), then: .cosineAnnealing(CosineAnnealingSchedule(base: 0.01, etaMin: 0, tMax: 45))))))
        #expect(try Fixtures.configuration(#"{"num_epochs": 5}"#).learningRate == nil)
        #expect(try Fixtures.configuration(#"{"num_epochs": 5, "lr_scheduler": {"type": "constant"}}"#).learningRate == .constant(1e-3))
    }
}

@Suite("Granularity")
struct GranularityTests {
    @Test("auto: cycles shorter than 4 epochs are followed per step, longer ones sampled per epoch; the default β is safe at any length")
    func auto() throws {
        func evaluation(_ epochs: Int, _ extra: String = "") throws -> QuantityEvaluation {
            try #require(try Fixtures.configuration(#"{"num_epochs": \#(epochs)\#(extra)}"#).quantities()["beta"]).evaluation
        }
        // The default β is 4 ramp cycles over the run: cycles of 0.25, 1, 2 and 3.75 epochs go per step, 4 per epoch.
        #expect(try evaluation(1) == .step && evaluation(4) == .step && evaluation(8) == .step && evaluation(15) == .step)
        #expect(try evaluation(16) == .epoch && evaluation(100) == .epoch)
        // A warm-up does not repeat: per epoch, as the seed's loop.
        #expect(try evaluation(2, #", "beta_scheduler_type": "linear", "beta_scheduler_params": {"warmup_epochs": 1}"#) == .epoch)
        // An explicit setting wins.
        #expect(try evaluation(4, #", "beta_granularity": "epoch""#) == .epoch)
        #expect(try evaluation(100, #", "beta_granularity": "step""#) == .step)
        // A short cycle nested in a combinator counts.
        #expect(try evaluation(40, #", "beta_scheduler_type": "scale", "beta_scheduler_params": {"factor": 0.5, "schedule": {"type": "repeat", "period": 2, "schedule": {"type": "linear", "warmup_epochs": 1}}}"#) == .step)
    }

    @Test("with the default on a 4-epoch run, β moves within every epoch instead of staying 0")
    func shortRunValues() throws {
        let plan = try Fixtures.configuration(#"{"num_epochs": 4}"#).quantities()
        let beta = try #require(plan["beta"])
        // 1-epoch ramp cycles with ratio 0.5: step 3 of 8 in epoch 2 is t = 2.375, u = 0.375, β = 0.375/0.5 = 0.75.
        #expect(beta.scheduledValue(at: .batch(3, ofEpoch: 2, stepsPerEpoch: 8)) == 0.75)
        #expect(beta.scheduledValue(at: .batch(0, ofEpoch: 2, stepsPerEpoch: 8)) == 0)
    }
}
