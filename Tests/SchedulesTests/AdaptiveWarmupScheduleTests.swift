import Testing
@testable import Schedules

/// Seed 001's tables: β(e) = hi·min(1, (e + 1)/(T·r)), counting the current epoch, T·r not truncated.
@Suite("AdaptiveWarmupSchedule (seed 001)")
struct AdaptiveWarmupScheduleTests {
    @Test("T = 10, r = 0.5: 0.2, 0.4, 0.6, 0.8, 1.0, then 1.0")
    func tenEpochs() {
        let schedule = AdaptiveWarmupSchedule(maxBeta: 1, warmupRatio: 0.5, totalEpochs: 10)
        #expect(schedule.values(0..<10) == [0.2, 0.4, 0.6, 0.8, 1, 1, 1, 1, 1, 1])  // (e + 1)/5
    }

    @Test("T = 50: 0.04 at e = 0, 0.2 at e = 4, 1.0 from e = 24")
    func fiftyEpochs() {
        let schedule = AdaptiveWarmupSchedule(maxBeta: 1, warmupRatio: 0.5, totalEpochs: 50)
        #expect(schedule.value(atEpoch: 0) == 0.04)  // 1/25
        #expect(schedule.value(atEpoch: 4) == 0.2)  // 5/25
        #expect(schedule.value(atEpoch: 9) == 0.4)
        #expect(schedule.value(atEpoch: 14) == 0.6)
        #expect(schedule.value(atEpoch: 19) == 0.8)
        #expect(schedule.value(atEpoch: 23) == 0.96)  // 24/25
        #expect(schedule.values(24..<50).allSatisfy { $0 == 1 })
    }

    @Test("T = 100: 0.02 at e = 0, 0.5 at e = 24, 1.0 from e = 49")
    func hundredEpochs() {
        let schedule = AdaptiveWarmupSchedule(maxBeta: 1, warmupRatio: 0.5, totalEpochs: 100)
        #expect(schedule.value(atEpoch: 0) == 0.02)
        #expect(schedule.value(atEpoch: 9) == 0.2)
        #expect(schedule.value(atEpoch: 24) == 0.5)
        #expect(schedule.value(atEpoch: 48) == 0.98)
        #expect(schedule.value(atEpoch: 49) == 1)
    }

    @Test("T = 10 with r = 0.25 / 0.75 / 1.0 first reaches 1.0 at 1-based epoch 3 / 8 / 10",
          arguments: [(0.25, 3), (0.75, 8), (1.0, 10)])
    func ratios(ratio: Double, firstFullEpoch: Int) {
        let schedule = AdaptiveWarmupSchedule(maxBeta: 1, warmupRatio: ratio, totalEpochs: 10)
        let values = schedule.values(0..<10)
        #expect(values.firstIndex(of: 1) == firstFullEpoch - 1)  // 1-based epoch → 0-based index
        #expect(values[firstFullEpoch - 2] < 1)
    }

    @Test("max_beta scales the ramp")
    func maxBeta() {
        let schedule = AdaptiveWarmupSchedule(maxBeta: 0.5, warmupRatio: 0.5, totalEpochs: 10)
        #expect(schedule.value(atEpoch: 0) == 0.1)  // 0.5·0.2
        #expect(schedule.value(atEpoch: 4) == 0.5)
    }
}
