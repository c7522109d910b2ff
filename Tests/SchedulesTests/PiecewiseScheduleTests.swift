import RealModule
import Testing
@testable import Schedules

@Suite("PiecewiseSchedule")
struct PiecewiseScheduleTests {
    typealias Knot = PiecewiseSchedule.Knot

    @Test("seed 004's β_B: 0 until 40, 0 → 0.1 by 49, 0.5 at 50, 0.5 → 1.0 by 100")
    func seedPhases() {
        let betaB = PiecewiseSchedule(knots: [Knot(epoch: 0, value: 0), Knot(epoch: 40, value: 0), Knot(epoch: 49, value: 0.1), Knot(epoch: 50, value: 0.5), Knot(epoch: 100, value: 1)])
        #expect(betaB.value(atEpoch: 20) == 0)
        #expect(betaB.value(atEpoch: 40) == 0)
        #expect(betaB.value(atEpoch: 45) == 0 + (0.1 - 0) * (5.0 / 9.0))  // 0.0556
        #expect(betaB.value(atEpoch: 49) == 0.1)
        #expect(betaB.value(atEpoch: 50) == 0.5)
        #expect(betaB.value(atEpoch: 75) == 0.75)  // 0.5 + 0.5·25/50
        #expect(betaB.value(atEpoch: 100) == 1)
        #expect(betaB.value(atEpoch: 150) == 1)  // held after the last knot
        let betaA = PiecewiseSchedule(knots: [Knot(epoch: 0, value: 0.3), Knot(epoch: 40, value: 0.8)])
        #expect(betaA.value(atEpoch: 20) == 0.3 + (0.8 - 0.3) * 0.5)  // 0.55
    }

    @Test("two knots at one epoch make a jump, right-continuous")
    func jump() {
        let schedule = PiecewiseSchedule(knots: [Knot(epoch: 0, value: 0), Knot(epoch: 50, value: 0.1), Knot(epoch: 50, value: 0.5), Knot(epoch: 100, value: 1)])
        #expect(abs(schedule.value(at: TrainingProgress(epoch: 49.99, step: 0)) - 0.1) < 1e-3)
        #expect(schedule.value(atEpoch: 50) == 0.5)
        #expect(schedule.value(atEpoch: 75) == 0.75)
    }

    @Test("step interpolation holds each knot's value; cosine eases between knots; descending values work")
    func interpolations() {
        let knots = [Knot(epoch: 0, value: 1.0), Knot(epoch: 10, value: 0.9), Knot(epoch: 20, value: 0.7)]
        let step = PiecewiseSchedule(knots: knots, interpolation: .step)
        #expect(step.values(0..<21) == Array(repeating: 1.0, count: 10) + Array(repeating: 0.9, count: 10) + [0.7])
        let cosine = PiecewiseSchedule(knots: knots, interpolation: .cosine)
        #expect(abs(cosine.value(atEpoch: 5) - 0.95) < 1e-15)  // halfway: (1 − cos π/2)/2 = 1/2
        #expect(cosine.value(atEpoch: 2) == 1.0 + (0.9 - 1.0) * ((1 - Double.cos(Double.pi * 0.2)) / 2))
        #expect(cosine.value(atEpoch: 10) == 0.9)
    }

    @Test("before the first knot, the first value")
    func beforeFirst() {
        let schedule = PiecewiseSchedule(knots: [Knot(epoch: 5, value: 0.2), Knot(epoch: 10, value: 0.4)])
        #expect(schedule.value(atEpoch: 0) == 0.2)
    }
}
