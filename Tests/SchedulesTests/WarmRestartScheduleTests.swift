import Testing
@testable import Schedules

@Suite("WarmRestartSchedule")
struct WarmRestartScheduleTests {
    /// Seed 000: cosine base to 1.0 over 20 epochs, restart_interval 40, restart_multiplier 1.2.
    let seed = WarmRestartSchedule(
        base: .ramp(RampSchedule(shape: .cosine, start: 0, end: 1, length: .epochs(20))),
        restartInterval: 40, restartMultiplier: 1.2)

    @Test("the seed's example restarts at 40, 88, 146")
    func seedRestartEpochs() {
        // R_k = round(I·(m^k − 1)/(m − 1)): 40·0.2/0.2 = 40; 40·0.44/0.2 = 88; 40·0.728/0.2 = 145.6 → 146;
        // 40·1.0736/0.2 = 214.72 → 215.
        #expect(seed.restartEpoch(1) == 40)
        #expect(seed.restartEpoch(2) == 88)
        #expect(seed.restartEpoch(3) == 146)
        #expect(seed.restartEpoch(4) == 215)
        #expect(seed.restartEpochs(before: 150) == [40, 88, 146])
    }

    @Test("restart info per epoch, as get_restart_info reports it")
    func restartInfo() {
        let expected: [(Int, RestartInfo)] = [
            (0, RestartInfo(lastRestartEpoch: 0, epochsSinceRestart: 0, nextRestartEpoch: 40, isRestartEpoch: false)),
            (39, RestartInfo(lastRestartEpoch: 0, epochsSinceRestart: 39, nextRestartEpoch: 40, isRestartEpoch: false)),
            (40, RestartInfo(lastRestartEpoch: 40, epochsSinceRestart: 0, nextRestartEpoch: 88, isRestartEpoch: true)),
            (41, RestartInfo(lastRestartEpoch: 40, epochsSinceRestart: 1, nextRestartEpoch: 88, isRestartEpoch: false)),
            (87, RestartInfo(lastRestartEpoch: 40, epochsSinceRestart: 47, nextRestartEpoch: 88, isRestartEpoch: false)),
            (88, RestartInfo(lastRestartEpoch: 88, epochsSinceRestart: 0, nextRestartEpoch: 146, isRestartEpoch: true)),
            (146, RestartInfo(lastRestartEpoch: 146, epochsSinceRestart: 0, nextRestartEpoch: 215, isRestartEpoch: true)),
            (149, RestartInfo(lastRestartEpoch: 146, epochsSinceRestart: 3, nextRestartEpoch: 215, isRestartEpoch: false)),
        ]
        for (epoch, info) in expected {
            #expect(seed.restartState(at: .epoch(epoch)) == info, "epoch \(epoch)")
        }
        // Per step, the whole restart epoch is the restart epoch, and time since restart is fractional.
        let inside = seed.restartState(at: .batch(3, ofEpoch: 40, stepsPerEpoch: 4))
        #expect(inside.isRestartEpoch)
        #expect(inside.epochsSinceRestart == 0.75)
    }

    @Test("β is exactly the base's start value at a restart, and the base sees epochs since the restart")
    func valuesAroundRestarts() {
        let base = seed.base
        #expect(seed.value(atEpoch: 0) == 0)
        #expect(seed.value(atEpoch: 20) == 1)  // the cosine warm-up is complete
        #expect(seed.value(atEpoch: 39) == 1)
        #expect(seed.value(atEpoch: 40) == 0)  // restart: the base at 0
        #expect(seed.value(atEpoch: 50) == base.value(atEpoch: 10))  // 10 epochs after the restart at 40
        #expect(seed.value(atEpoch: 88) == 0)
        #expect(seed.value(atEpoch: 100) == base.value(atEpoch: 12))
        #expect(seed.value(atEpoch: 146) == 0)
    }

    @Test("multiplier 1: a restart every interval")
    func constantIntervals() {
        let restart = WarmRestartSchedule(base: .constant(ConstantSchedule(value: 1)), restartInterval: 25)
        #expect(restart.restartEpochs(before: 101) == [25, 50, 75, 100])
        #expect(restart.restartState(at: .epoch(60)).nextRestartEpoch == 75)
    }

    @Test("decimal ties round up: I = 50, m = 1.3 restarts at 50, 115, 200 (199.5), 309")
    func ties() {
        // 50·(1.3³ − 1)/0.3 is 199.5 on paper but 199.49999999999997 in binary; it rounds as the 199.5 it means.
        let restart = WarmRestartSchedule(base: .constant(ConstantSchedule(value: 1)), restartInterval: 50, restartMultiplier: 1.3)
        #expect(restart.restartEpochs(before: 400) == [50, 115, 200, 309])
    }

    @Test("shrinking intervals (m < 1) converge to a last restart, after which none follows")
    func shrinkingIntervals() {
        // S_k = 10, 15, 17.5, 18.75, 19.375, 19.6875, … → 20; rounded: 10, 15, 18, 19, 19, 20, 20, …
        let restart = WarmRestartSchedule(base: .constant(ConstantSchedule(value: 1)), restartInterval: 10, restartMultiplier: 0.5)
        #expect(restart.restartEpochs(before: 100) == [10, 15, 18, 19, 20])
        #expect(restart.restartState(at: .epoch(19)) == RestartInfo(lastRestartEpoch: 19, epochsSinceRestart: 0, nextRestartEpoch: 20, isRestartEpoch: true))
        #expect(restart.restartState(at: .epoch(50)) == RestartInfo(lastRestartEpoch: 20, epochsSinceRestart: 30, nextRestartEpoch: nil, isRestartEpoch: false))
    }

    @Test("intervals shorter than an epoch restart at most once per epoch")
    func fractionalIntervals() {
        let restart = WarmRestartSchedule(base: .constant(ConstantSchedule(value: 1)), restartInterval: 0.5)
        #expect(restart.restartEpochs(before: 5) == [1, 2, 3, 4])
        #expect(restart.restartState(at: .epoch(3)).isRestartEpoch)
    }

    @Test("restart intervals of a millionth of an epoch list one restart per epoch quickly (5e-324 and 1e-9 looped for ever)")
    func tinyIntervals() {
        for interval in [1e-6, 1e-9, 5e-324] {
            let restart = WarmRestartSchedule(base: .constant(ConstantSchedule(value: 1)), restartInterval: interval)
            // 1e-6: R_k = round(k·1e-6) reaches every epoch. 1e-9 and 5e-324: R_k for k ≤ 2^40 (the largest
            // index counted) reaches only epoch 1100 and epoch 0 respectively.
            let epochs = restart.restartEpochs(before: 2_000)
            if interval == 1e-6 { #expect(epochs == Array(1..<2_000)) }
            if interval == 1e-9 { #expect(epochs == Array(1...1_100)) }  // R_(2^40) = round(2^40·1e-9 = 1099.51…) = 1100
            if interval == 5e-324 { #expect(epochs.isEmpty) }
        }
    }

    @Test("a base warm-up in steps restarts in steps too")
    func stepBase() {
        let restart = WarmRestartSchedule(base: .ramp(RampSchedule(shape: .linear, length: .steps(100))), restartInterval: 10)
        // K = 20: the restart at epoch 10 is step 200; batch 5 of epoch 10 is step 205, 5 steps into the ramp.
        #expect(restart.value(at: .batch(5, ofEpoch: 10, stepsPerEpoch: 20)) == 0.05)
        #expect(restart.value(at: .batch(5, ofEpoch: 9, stepsPerEpoch: 20)) == 1)  // step 185 ≥ 100
    }

    @Test("lookups stay fast and exact far into a run")
    func farAway() {
        let restart = WarmRestartSchedule(base: .constant(ConstantSchedule(value: 1)), restartInterval: 1)
        #expect(restart.restartState(at: .epoch(1_000_000)).lastRestartEpoch == 1_000_000)
        let growing = WarmRestartSchedule(base: .constant(ConstantSchedule(value: 1)), restartInterval: 3, restartMultiplier: 2)
        // 3·(2^k − 1): 3, 9, 21, 45, …, 3·(2^20 − 1) = 3145725
        #expect(growing.restartState(at: .epoch(3_145_725)).isRestartEpoch)
        #expect(growing.restartState(at: .epoch(3_145_726)).nextRestartEpoch == 3 * (1 << 21) - 3)
    }
}
