import Testing
@testable import Schedules

@Suite("Combinators: join, repeat, scale, clamp")
struct CombinatorScheduleTests {
    let warmup = Schedule.ramp(RampSchedule(shape: .linear, start: 0, end: 1, length: .epochs(10)))

    @Test("join: each piece sees the time since its own boundary")
    func join() {
        let joined = JoinedSchedule(pieces: [.constant(ConstantSchedule(value: 0)), warmup, .constant(ConstantSchedule(value: 0.25))], boundaries: [10, 30])
        #expect(joined.value(atEpoch: 5) == 0)
        #expect(joined.value(atEpoch: 10) == 0)  // the ramp starts at its own t = 0
        #expect(joined.value(atEpoch: 15) == 0.5)  // 5 epochs into the ramp
        #expect(joined.value(atEpoch: 29) == 1)
        #expect(joined.value(atEpoch: 30) == 0.25)
        #expect(joined.pieceIndex(at: .epoch(30)) == 2)
    }

    @Test("repeat: a monotone schedule repeated every period is cyclical annealing")
    func repeatSchedule() {
        let repeated = RepeatedSchedule(schedule: warmup, period: 20)
        #expect(repeated.value(atEpoch: 5) == 0.5)
        #expect(repeated.value(atEpoch: 19) == 1)
        #expect(repeated.value(atEpoch: 20) == 0)
        #expect(repeated.value(atEpoch: 25) == 0.5)
        // Repeating a linear warm-up over half the period is Fu et al.'s ramp wave.
        let ramp = CyclicalSchedule(start: 0, end: 1, cycleLength: 20, wave: .ramp(ratio: 0.5))
        for step in 0..<(60 * 4) {
            let progress = TrainingProgress.batch(step % 4, ofEpoch: step / 4, stepsPerEpoch: 4)
            #expect(abs(repeated.value(at: progress) - ramp.value(at: progress)) < 1e-12)
        }
    }

    @Test("scale multiplies, clamp bounds")
    func scaleAndClamp() {
        let scaled = ScaledSchedule(schedule: warmup, factor: 0.01)
        #expect(scaled.value(atEpoch: 5) == 0.005)
        #expect(scaled.value(atEpoch: 10) == 0.01)
        let clamped = ClampedSchedule(schedule: warmup, lower: 0.2, upper: 0.6)
        #expect(clamped.values(0..<11) == [0.2, 0.2, 0.2, 0.3, 0.4, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6])
        #expect(ClampedSchedule(schedule: warmup, upper: 0.5).value(atEpoch: 1) == 0.1)
    }

    @Test("restart information passes through scale and clamp")
    func restartInfoThroughWrappers() {
        let restart = Schedule.warmRestart(WarmRestartSchedule(base: warmup, restartInterval: 15))
        let wrapped = Schedule.scaled(ScaledSchedule(schedule: .clamped(ClampedSchedule(schedule: restart, upper: 0.9)), factor: 2))
        #expect(wrapped.hasRestarts)
        #expect(wrapped.restartInfo(at: .epoch(16))?.lastRestartEpoch == 15)
        #expect(wrapped.restartEpochs(before: 50) == [15, 30, 45])
        #expect(!warmup.hasRestarts)
    }
}
