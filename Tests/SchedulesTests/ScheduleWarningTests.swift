import Testing
@testable import Schedules

@Suite("Schedule warnings")
struct ScheduleWarningTests {
    func warnings(_ text: String, epochs: Int, stepsPerEpoch: Int = 1) throws -> [String] {
        let configuration = try Fixtures.configuration(text, numEpochs: epochs)
        let window = RunWindow(numEpochs: epochs, stepsPerEpoch: stepsPerEpoch)
        return configuration.warnings(over: window).map(\.description)
    }

    @Test("a warm-up as long as the run never reaches max_beta: the last epoch is num_epochs − 1")
    func warmupTooLong() throws {
        let result = try warnings(#"{"beta_scheduler_type": "linear", "beta_scheduler_params": {"warmup_epochs": 10}}"#, epochs: 10)
        // Epochs 0…9: β at epoch 9 is 9/10.
        #expect(result == ["beta: the linear warm-up reaches max_beta 1 at epoch 10, but the run ends at epoch 9: β peaks at 0.9 (90.0% of the way from min_beta to max_beta)"])
        #expect(try warnings(#"{"beta_scheduler_type": "linear", "beta_scheduler_params": {"warmup_epochs": 9}}"#, epochs: 10).isEmpty)
        // Evaluated per step the last point is epoch 9 + 3/4.
        let perStep = try warnings(#"{"beta_scheduler_type": "cosine", "beta_scheduler_params": {"warmup_epochs": 10}, "beta_granularity": "step"}"#, epochs: 10, stepsPerEpoch: 4)
        #expect(perStep.count == 1 && perStep[0].contains("ends at step 39 (epoch 9.75)"))
        // Evaluated per epoch (the default), the run's last β is epoch 9's, whatever the steps per epoch.
        let perEpoch = try warnings(#"{"beta_scheduler_type": "cosine", "beta_scheduler_params": {"warmup_epochs": 10}}"#, epochs: 10, stepsPerEpoch: 4)
        #expect(perEpoch.count == 1 && perEpoch[0].contains("ends at epoch 9"))
        let steps = try warnings(#"{"beta_scheduler_type": "linear", "beta_scheduler_params": {"warmup_steps": 1000}, "beta_granularity": "step"}"#, epochs: 10, stepsPerEpoch: 50)
        #expect(steps.count == 1 && steps[0].contains("at step 1000") && steps[0].contains("step 499"))
    }

    @Test("cycles shorter than a step: the run's steps all see β at a cycle's start, and the warning says what it peaks at")
    func cyclesShorterThanAStep() throws {
        // 4 cycles over 2 epochs of 1 step: cycles of half a step, evaluated per step (auto: cycle < 4 epochs) at
        // t = 0 and 1, both a cycle's start: β = 0 there, though each cycle's cosine rises to 1 in between.
        let result = try warnings(#"{"beta_scheduler_type": "cyclical", "beta_scheduler_params": {"num_cycles": 4}}"#, epochs: 2, stepsPerEpoch: 1)
        #expect(result == ["beta: the run evaluates it at 2 steps and it reaches at most 0 there, while the schedule rises to 1 between them: its cycles or warm-up are too short for this run (2 epochs × 1 step); use fewer cycles, a longer warm-up, more epochs or a smaller batch_size"])
        // With 8 steps an epoch the same cycles are 4 steps long and reach 1 at their middles: no warning.
        #expect(try warnings(#"{"beta_scheduler_type": "cyclical", "beta_scheduler_params": {"num_cycles": 4}}"#, epochs: 2, stepsPerEpoch: 8).isEmpty)
    }

    @Test("adaptive warm-up with a ratio above 1 warns; the seed's 0.5 does not")
    func adaptive() throws {
        #expect(try warnings(#"{"beta_scheduler_type": "adaptive_warmup"}"#, epochs: 10).isEmpty)
        let late = try warnings(#"{"beta_scheduler_type": "adaptive_warmup", "beta_scheduler_params": {"beta_warmup_ratio": 1.5}}"#, epochs: 10)
        #expect(late.count == 1 && late[0].contains("peaks at 0.6667"))  // (9 + 1)/15
    }

    @Test("a last cycle cut short, and a first cycle that never finishes")
    func cycles() throws {
        let cut = try warnings(#"{"beta_scheduler_type": "cyclical", "beta_scheduler_params": {"cycle_length": 22}}"#, epochs: 100)
        #expect(cut == ["beta: the last cycle is cut short: 100 epochs hold 4 full cycles of 22 epochs and 12 epochs (54.5% of a cycle); a multiple of 22 epochs, such as 88 or 110, ends on a whole cycle"])
        #expect(try warnings(#"{"beta_scheduler_type": "cyclical", "beta_scheduler_params": {"cycle_length": 20}}"#, epochs: 100).isEmpty)
        #expect(try warnings(#"{"beta_scheduler_type": "cyclical", "beta_scheduler_params": {"num_cycles": 3}}"#, epochs: 100).isEmpty)
        let long = try warnings(#"{"beta_scheduler_type": "cyclical", "beta_scheduler_params": {"cycle_length": 50, "wave_type": "triangle"}}"#, epochs: 20)
        #expect(long.count == 1 && long[0].contains("never finishes") && long[0].contains("β peaks at 0.76"))  // epoch 19: 1 − |2·19/50 − 1|
    }

    @Test("restarts that never happen, and a base warm-up longer than the restart interval")
    func restarts() throws {
        let never = try warnings(#"{"beta_scheduler_type": "warm_restart", "beta_scheduler_params": {"base_scheduler_type": "cosine", "base_scheduler_kwargs": {"warmup_epochs": 5}, "restart_interval": 40}}"#, epochs: 30)
        #expect(never == ["beta: no restart happens within the run (30 epochs): the first restart is at epoch 40"])
        let short = try warnings(#"{"beta_scheduler_type": "warm_restart", "beta_scheduler_params": {"base_scheduler_type": "linear", "base_scheduler_kwargs": {"warmup_epochs": 20}, "restart_interval": 10}}"#, epochs: 100)
        #expect(short.count == 1 && short[0].contains("before the restart at epoch 10, the linear warm-up reaches max_beta 1 at epoch 20, but the first restart interval ends at epoch 9"))
        #expect(try warnings(#"{"beta_scheduler_type": "warm_restart", "beta_scheduler_params": {"base_scheduler_type": "cosine", "base_scheduler_kwargs": {"warmup_epochs": 20}, "restart_interval": 40, "restart_multiplier": 1.2}}"#, epochs: 150).isEmpty)
    }

    @Test("hierarchical warnings name the term")
    func hierarchical() throws {
        let result = try warnings(#"{"beta_scheduler_type": "hierarchical", "beta_scheduler_params": {"global_scheduler": {"type": "cosine", "warmup_epochs": 30}, "local_scheduler": {"type": "cyclical", "cycle_length": 7}}}"#, epochs: 20)
        #expect(result.count == 3)
        #expect(result[0].hasPrefix("global_kl_weight: the cosine warm-up"))
        #expect(result[1].hasPrefix("local_kl_weight: the last cycle is cut short"))
        // A 7-epoch cosine sampled once per epoch tops out at u = 3/7: (1 − cos(6π/7))/2 = 0.9505.
        #expect(result[2].hasPrefix("local_kl_weight: sampled once per epoch, the cosine wave never reaches max_beta 1: it peaks at 0.9505"))
    }

    @Test("a wave sampled once per epoch that never reaches its peak is warned about (the 15-epoch triangle tops out at 0.0187 of 0.02)")
    func sampledPeak() throws {
        let triangle = try warnings(#"{"beta_scheduler_type": "cyclical", "beta_scheduler_params": {"cycle_length": 15, "max_beta": 0.02, "wave_type": "triangle"}}"#, epochs: 30)
        // Epoch 7: u = 7/15, 0.02·(1 − |14/15 − 1|) = 0.02·14/15 = 0.018667.
        #expect(triangle.count == 1 && triangle[0].contains("never reaches max_beta 0.02: it peaks at 0.01867 (93.3% of the way)"), "\(triangle)")
        // Per step it reaches the peak: no warning.
        #expect(try warnings(#"{"beta_scheduler_type": "cyclical", "beta_scheduler_params": {"cycle_length": 15, "max_beta": 0.02, "wave_type": "triangle"}, "beta_granularity": "step"}"#, epochs: 30, stepsPerEpoch: 4).isEmpty)
        // An even cycle puts an epoch at the top.
        #expect(try warnings(#"{"beta_scheduler_type": "cyclical", "beta_scheduler_params": {"cycle_length": 10, "wave_type": "triangle"}}"#, epochs: 30).isEmpty)
    }

    @Test("a short cycle forced to once per epoch is explained in words")
    func aliasing() throws {
        // 4 cycles over 4 epochs: each epoch starts a cycle, so a ramp sampled per epoch is 0 throughout.
        let everyEpoch = try warnings(#"{"beta_scheduler_type": "cyclical", "beta_scheduler_params": {"num_cycles": 4, "wave_type": "ramp"}, "beta_granularity": "epoch"}"#, epochs: 4)
        #expect(everyEpoch.contains { $0.contains("its cycle of 1 epoch is evaluated once per epoch (beta_granularity \"epoch\"), so training sees the same value, 0, in every epoch") }, "\(everyEpoch)")
        // 4 cycles over 8 epochs: 0, 1, 0, 1, …
        let alternating = try warnings(#"{"beta_scheduler_type": "cyclical", "beta_scheduler_params": {"num_cycles": 4, "wave_type": "ramp"}, "beta_granularity": "epoch"}"#, epochs: 8)
        #expect(alternating.contains { $0.contains("only the values 0, 1 at epoch starts") }, "\(alternating)")
        // The default (auto) follows such cycles per step: no warning with 10 steps an epoch; with 1 step an
        // epoch the steps are the epoch starts, and the warning says β stays 0.
        #expect(try warnings(#"{"beta_scheduler_type": "cyclical", "beta_scheduler_params": {"num_cycles": 4, "wave_type": "ramp"}}"#, epochs: 4, stepsPerEpoch: 10).isEmpty)
        let oneStep = try warnings(#"{"beta_scheduler_type": "cyclical", "beta_scheduler_params": {"num_cycles": 4, "wave_type": "ramp"}}"#, epochs: 4)
        #expect(oneStep.count == 1 && oneStep[0].contains("reaches at most 0 there, while the schedule rises to 1 between them"))
    }

    @Test("piecewise knots and join pieces after the end")
    func afterTheEnd() throws {
        let knots = try warnings(#"{"beta_scheduler_type": "piecewise", "beta_scheduler_params": {"knots": [[0, 0], [50, 1]]}}"#, epochs: 20)
        #expect(knots.count == 1 && knots[0].contains("beta: knots after epoch 19") && knots[0].contains("ends at 0.38, not 1"))  // 19/50
        let join = try warnings(#"{"beta_scheduler_type": "join", "beta_scheduler_params": {"schedules": [{"type": "constant"}, {"type": "constant", "beta": 0}], "boundaries": [25]}}"#, epochs: 20)
        #expect(join.count == 1 && join[0].contains("piece 2 (constant) starts at epoch 25"))
    }

    @Test("learning rate: a warm-restart cycle cut short, a cosine that does not reach eta_min")
    func learningRate() throws {
        let cut = try warnings(#"{"beta_scheduler_type": "constant", "learning_rate": 0.001, "lr_scheduler": {"type": "cosine_warm_restarts", "T_0": 10, "T_mult": 2}}"#, epochs: 50)
        #expect(cut.count == 1 && cut[0].hasPrefix("lr: the run ends 50.0% of the way through warm-restart cycle 3 (epochs 30–70)"))
        #expect(try warnings(#"{"beta_scheduler_type": "constant", "learning_rate": 0.001, "lr_scheduler": {"type": "cosine_warm_restarts", "T_0": 10, "T_mult": 2}}"#, epochs: 70).isEmpty)
        let cosine = try warnings(#"{"beta_scheduler_type": "constant", "learning_rate": 0.001, "lr_scheduler": {"type": "cosine", "T_max": 100}}"#, epochs: 50)
        #expect(cosine.count == 1 && cosine[0].contains("T_max = 100"))
    }
}
