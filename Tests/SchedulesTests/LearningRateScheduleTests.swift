import Foundation
import JSONConfig
import RealModule
import Testing
@testable import Schedules

/// Learning-rate schedules against golden values from PyTorch 2.13.0 (Fixtures/pytorch_lr.json, written by
/// Fixtures/generate_pytorch_lr.py, which records the torch and Python versions it ran with).
@Suite("Learning-rate schedules")
struct LearningRateScheduleTests {
    struct Golden {
        var params: JSONValue
        var perEpoch: [Double]
        var fractionalEpochs: [Double]
        var fractional: [Double]
    }

    static func golden(_ name: String) throws -> Golden {
        let document = try ConfigFile.load(Fixtures.path("pytorch_lr.json"))
        let numbers = { (value: JSONValue?) -> [Double] in
            guard case .array(let items)? = value?.kind else { return [] }
            return items.map { if case .number(let n, _) = $0.kind { return n } else { return .nan } }
        }
        let entry = document["cases"]![name]!
        return Golden(params: entry["params"]!, perEpoch: numbers(entry["per_epoch"]),
                      fractionalEpochs: numbers(entry["fractional_epochs"]), fractional: numbers(entry["fractional"]))
    }

    static func number(_ value: JSONValue?) -> Double {
        if case .number(let n, _)? = value?.kind { return n }
        return .nan
    }

    @Test("cosine_warm_restarts equals PyTorch's CosineAnnealingWarmRestarts bit for bit, per epoch and at fractional epochs",
          arguments: ["warm_restarts_T0_10_Tmult_2", "warm_restarts_T0_7_Tmult_1", "warm_restarts_T0_3_Tmult_3"])
    func warmRestartsMatchPyTorch(name: String) throws {
        let golden = try Self.golden(name)
        let p = golden.params
        let schedule = CosineWarmRestartsSchedule(
            base: Self.number(p["learning_rate"]), t0: Self.number(p["T_0"]), tMult: Self.number(p["T_mult"]),
            etaMin: Self.number(p["eta_min"]))
        #expect(golden.perEpoch.count > 40)
        for (epoch, expected) in golden.perEpoch.enumerated() {
            #expect(schedule.value(atEpoch: epoch) == expected, "epoch \(epoch)")
        }
        for (epoch, expected) in zip(golden.fractionalEpochs, golden.fractional) {
            #expect(schedule.value(at: TrainingProgress(epoch: epoch, step: 0)) == expected, "epoch \(epoch)")
        }
    }

    @Test("SGDR cycles: T_0 = 10, T_mult = 2 restarts at 10, 30, 70, 150 with lengths 10, 20, 40, 80")
    func cycles() {
        let schedule = CosineWarmRestartsSchedule(base: 1, t0: 10, tMult: 2)
        #expect([0, 1, 2, 3, 4].map(schedule.cycleStart) == [0, 10, 30, 70, 150])
        #expect(schedule.cycle(at: 29.5).index == 1)
        #expect(schedule.cycle(at: 30).index == 2)
        #expect(schedule.cycle(at: 30).timeInCycle == 0)
        #expect(schedule.cycle(at: 69.999).length == 40)
        #expect(schedule.cycle(at: 149.999).length == 80)
    }

    @Test("non-integer T_mult is well defined: T_0 = 4, T_mult = 1.5 → cycles of 4, 6, 9 starting at 0, 4, 10, 19")
    func fractionalMultiplier() {
        let schedule = CosineWarmRestartsSchedule(base: 0.1, t0: 4, tMult: 1.5, etaMin: 0)
        #expect([0, 1, 2, 3].map(schedule.cycleStart) == [0, 4, 10, 19])  // 4·(1.5^n − 1)/0.5
        #expect(schedule.value(atEpoch: 4) == 0.1)  // restart: back to the base rate
        #expect(schedule.value(atEpoch: 10) == 0.1)
        #expect(abs(schedule.value(atEpoch: 7) - 0.05) < 1e-15)  // halfway through the 6-epoch cycle
        let values = (0..<400).map { schedule.value(at: TrainingProgress(epoch: Double($0) / 10, step: $0)) }
        #expect(values.allSatisfy { $0 >= 0 && $0 <= 0.1 })
    }

    @Test("cycle_decay scales each cycle's peak (Keras m_mul, timm cycle_decay)")
    func cycleDecay() {
        let schedule = CosineWarmRestartsSchedule(base: 1, t0: 10, tMult: 1, etaMin: 0, cycleDecay: 0.5)
        #expect(schedule.value(atEpoch: 0) == 1)
        #expect(schedule.value(atEpoch: 10) == 0.5)
        #expect(schedule.value(atEpoch: 20) == 0.25)
    }

    @Test("step, exponential and cosine match PyTorch's StepLR, ExponentialLR and CosineAnnealingLR")
    func simpleSchedulesMatchPyTorch() throws {
        let step = try Self.golden("step_size_3_gamma_0.5")
        let stepSchedule = StepDecaySchedule(base: 1e-3, stepSize: 3, gamma: 0.5)
        #expect(stepSchedule.values(0..<20) == step.perEpoch)  // halvings are exact
        // PyTorch multiplies by γ once per epoch; we take base·γ^t. Equal to a few ulps.
        let exponential = try Self.golden("exponential_gamma_0.9")
        let exponentialSchedule = ExponentialDecaySchedule(base: 1e-3, gamma: 0.9)
        for (epoch, expected) in exponential.perEpoch.enumerated() {
            #expect(abs(exponentialSchedule.value(atEpoch: epoch) - expected) <= 1e-14 * expected, "epoch \(epoch)")
        }
        // PyTorch's CosineAnnealingLR steps by a recursive formula; the closed form agrees to rounding.
        let cosine = try Self.golden("cosine_T_max_20")
        let cosineSchedule = CosineAnnealingSchedule(base: 1e-3, etaMin: 1e-5, tMax: 20)
        for (epoch, expected) in cosine.perEpoch.enumerated() {
            #expect(abs(cosineSchedule.value(atEpoch: epoch) - expected) <= 1e-15, "epoch \(epoch)")
        }
        #expect(cosineSchedule.value(atEpoch: 20) == 1e-5)
        #expect(cosineSchedule.value(atEpoch: 30) == 1e-5)  // held after T_max
    }

    @Test("a linear warm-up is joined to the main schedule, which starts when the warm-up ends")
    func warmup() {
        let main = Schedule.cosineAnnealing(CosineAnnealingSchedule(base: 1e-3, etaMin: 0, tMax: 10))
        let schedule = LinearWarmupSchedule(base: 1e-3, startFactor: 0.1, length: .epochs(5), then: main)
        #expect(schedule.value(atEpoch: 0) == 1e-3 * 0.1)  // base·f₀
        #expect(schedule.value(atEpoch: 5) == 1e-3)  // cosine at its t = 0
        #expect(schedule.value(atEpoch: 10) == main.value(atEpoch: 5))
        #expect(abs(schedule.value(at: TrainingProgress(epoch: 2.5, step: 0)) - 1e-3 * 0.55) < 1e-18)  // halfway: 0.1 + 0.9·0.5
        let steps = LinearWarmupSchedule(base: 0.01, length: .steps(100), then: .constant(ConstantSchedule(value: 0.01)))
        #expect(steps.value(at: .batch(50, ofEpoch: 0, stepsPerEpoch: 200)) == 0.005)
        #expect(steps.value(at: .batch(100, ofEpoch: 0, stepsPerEpoch: 200)) == 0.01)
    }

    @Test("a subnormal T_0 (5e-324, 1e-310) gives values, not a crash: every epoch lies past any countable cycle (it stopped the program converting log(∞) to Int)")
    func subnormalPeriod() {
        for (t0, tMult) in [(5e-324, 2.0), (1e-310, 1.0), (5e-324, 1.0), (1e-310, 3.0)] {
            let schedule = CosineWarmRestartsSchedule(base: 0.1, t0: t0, tMult: tMult)
            for epoch in [0.0, 0.5, 1, 7, 1e9] {
                let value = schedule.value(at: TrainingProgress(epoch: epoch, step: 0))
                #expect(value.isFinite && value >= 0 && value <= 0.1, "T_0 \(t0), T_mult \(tMult), epoch \(epoch): \(value)")
            }
        }
    }
}
