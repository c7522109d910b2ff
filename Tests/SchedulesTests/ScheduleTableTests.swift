import RealModule
import Testing
@testable import Schedules

@Suite("ScheduleTable")
struct ScheduleTableTests {
    @Test("a single schedule: epoch and beta, one row per epoch")
    func single() throws {
        let configuration = try Fixtures.configuration(#"{"beta_scheduler_type": "adaptive_warmup"}"#, numEpochs: 10)
        let table = ScheduleTable(configuration: configuration, window: RunWindow(numEpochs: 10))
        #expect(table.columns == ["epoch", "beta"])
        #expect(table.rows.count == 10)
        #expect(table.rows[0] == [.integer(0), .number(0.2)])
        #expect(table.numbers("beta") == [0.2, 0.4, 0.6, 0.8, 1, 1, 1, 1, 1, 1])
    }

    @Test("hierarchical with a warm restart: two weights, the four restart columns, lr")
    func hierarchicalWithRestarts() throws {
        let configuration = try Fixtures.configuration(#"""
        {"beta_scheduler_type": "hierarchical", "beta_scheduler_params": {
           "global_scheduler": {"type": "warm_restart", "base_scheduler_type": "cosine", "base_scheduler_kwargs": {"max_beta": 0.01, "warmup_epochs": 10}, "restart_interval": 30},
           "local_scheduler": {"type": "cyclical", "cycle_length": 15, "max_beta": 0.02, "wave_type": "triangle"}},
         "learning_rate": 0.001}
        """#, numEpochs: 61)
        let table = ScheduleTable(configuration: configuration, window: RunWindow(numEpochs: 61))
        #expect(table.columns == ["epoch", "global_kl_weight", "local_kl_weight", "last_restart_epoch", "epochs_since_restart", "next_restart_epoch", "is_restart_epoch", "lr"])
        #expect(table.rows[30] == [.integer(30), .number(0), .number(0), .integer(30), .integer(0), .integer(60), .bool(true), .number(0.001)])
        // Epoch 35 is 5 epochs into the restart at 30: 0.01·(1 − cos(π/2))/2, and cos(π/2) is 6.1e-17 in binary;
        // the local triangle is at u = 5/15: 0.02·(1 − |2/3 − 1|) = 0.02·2/3.
        #expect(table.rows[35].map(\.exactText) == ["35", "0.004999999999999999", "0.013333333333333332", "30", "5", "60", "false", "0.001"])
        #expect(table.restartEpochs == [30, 60])
    }

    @Test("restart columns get the term's name when several terms restart")
    func prefixedRestartColumns() throws {
        let restart = #"{"type": "warm_restart", "base_scheduler_type": "linear", "base_scheduler_kwargs": {"warmup_epochs": 2}, "restart_interval": 5}"#
        let configuration = try Fixtures.configuration(#"{"beta_scheduler_type": "hierarchical", "beta_scheduler_params": {"global_scheduler": \#(restart), "local_scheduler": \#(restart)}}"#, numEpochs: 10)
        let table = ScheduleTable(configuration: configuration, window: RunWindow(numEpochs: 10))
        #expect(table.columns.contains("global_last_restart_epoch") && table.columns.contains("local_is_restart_epoch"))
        #expect(table.columns.count == 1 + 2 + 8)
    }

    @Test("per step: a step column, a fractional epoch, K rows per epoch, and the per-epoch values at batch 0")
    func perStep() throws {
        let configuration = try Fixtures.configuration(#"{"beta_scheduler_type": "cyclical", "beta_scheduler_params": {"cycle_length": 4, "wave_type": "triangle"}, "beta_granularity": "step"}"#, numEpochs: 8)
        let perStep = ScheduleTable(configuration: configuration, window: RunWindow(numEpochs: 8, stepsPerEpoch: 4))
        let perEpoch = ScheduleTable(configuration: configuration, window: RunWindow(numEpochs: 8))
        #expect(perStep.columns == ["step", "epoch", "beta"])
        #expect(perStep.rows.count == 32)
        #expect(perStep.rows[5] == [.integer(5), .number(1.25), .number(0.625)])  // u = 1.25/4: 1 − |0.625 − 1|
        for epoch in 0..<8 {
            #expect(perStep.rows[epoch * 4][2] == perEpoch.rows[epoch][1])
        }
    }

    @Test("a quantity evaluated per epoch holds its epoch-start value on every step row, as training uses it")
    func perEpochQuantityOnStepRows() throws {
        let configuration = try Fixtures.configuration(#"{"beta_scheduler_type": "cyclical", "beta_scheduler_params": {"cycle_length": 4, "wave_type": "triangle"}, "learning_rate": 0.1, "lr_scheduler": {"type": "cosine", "T_max": 8}}"#, numEpochs: 8)
        let table = ScheduleTable(configuration: configuration, window: RunWindow(numEpochs: 8, stepsPerEpoch: 4))
        #expect(table.columns == ["step", "epoch", "beta", "lr"])
        // β at epoch 1 is the triangle at u = 1/4: 1 − |0.5 − 1| = 0.5, on all four steps of epoch 1.
        for step in 4..<8 { #expect(table.rows[step][2] == .number(0.5)) }
        // The learning rate moves every step: at t = 1.25, 0.05·(1 + cos(π·1.25/8)).
        #expect(table.rows[5][3] == .number(0.1 * (1 + Double.cos(Double.pi * 1.25 / 8)) / 2))
    }

    /// Every schedule type gives the same value at integer t whether asked per epoch or per step
    /// (schedules measured in steps aside: their steps per epoch differ by design).
    @Test("per-epoch and per-step evaluation agree at integer epochs", arguments: ScheduleConfigurationTests.roundTripConfigs.filter { !$0.contains("_steps") })
    func granularityAgreement(text: String) throws {
        let configuration = try Fixtures.configuration(text, numEpochs: 60)
        for epoch in 0..<60 {
            for stepsPerEpoch in [3, 64] {
                let perStep = TrainingProgress.batch(0, ofEpoch: epoch, stepsPerEpoch: stepsPerEpoch)
                #expect(configuration.beta.weights(at: .epoch(epoch)) == configuration.beta.weights(at: perStep))
                if let learningRate = configuration.learningRate {
                    #expect(learningRate.schedule.value(atEpoch: epoch) == learningRate.schedule.value(at: perStep))
                }
            }
        }
    }
}

@Suite("Number formatting")
struct FormatTests {
    @Test("short text has at most the asked significant digits at any magnitude")
    func short() {
        #expect(Format.short(8.317050813874547e-05, digits: 6) == "8.31705e-05")
        #expect(Format.short(0.000244717418524232, digits: 6) == "0.000244717")
        #expect(Format.short(1e-05) == "1e-05")
        #expect(Format.short(-3.99999999e-7, digits: 4) == "-4e-07")
        #expect(Format.short(12345678.9, digits: 6) == "1.23457e+07")
        #expect(Format.short(0.5) == "0.5" && Format.short(40) == "40")
        #expect(ScheduleTable.Cell.number(8.317050813874547e-05).shortText == "8.31705e-05")
    }

    @Test("subnormal and huge magnitudes keep their mantissa: 5e-324 is 4.941e-324 (it printed infe-324), 1.7976931348623157e308 is 1.798e+308")
    func extremes() {
        // 5e-324 is 2⁻¹⁰⁷⁴ = 4.9406564584124654e-324; 10³²⁴ overflowed a double when built in one factor.
        #expect(Format.short(5e-324) == "4.941e-324")
        #expect(Format.short(1e-310) == "1e-310")
        #expect(Format.short(-2.2250738585072014e-308) == "-2.225e-308")
        #expect(Format.short(1.7976931348623157e308) == "1.798e+308")
    }
}
