import RealModule
import Testing
@testable import Schedules

@Suite("Ramp schedules: linear, cosine, exponential")
struct RampScheduleTests {
    let linear = RampSchedule(shape: .linear, start: 0, end: 1, length: .epochs(10))
    let cosine = RampSchedule(shape: .cosine, start: 0, end: 1, length: .epochs(10))
    let exponential = RampSchedule(shape: .exponential(rate: 5), start: 0, end: 1, length: .epochs(10))

    @Test("linear: lo + (hi − lo)·p with p = clamp(t/W, 0, 1)")
    func linearValues() {
        #expect(linear.value(atEpoch: 0) == 0)
        #expect(linear.value(atEpoch: 1) == 0.1)  // 1/10
        #expect(linear.value(atEpoch: 5) == 0.5)  // 5/10
        #expect(linear.value(atEpoch: 10) == 1)  // p = 1: exactly max_beta
        #expect(linear.value(atEpoch: 25) == 1)  // held after the warm-up
        let offset = RampSchedule(shape: .linear, start: 0.2, end: 0.8, length: .epochs(4))
        #expect(offset.value(atEpoch: 1) == 0.2 + (0.8 - 0.2) * 0.25)  // lo + (hi − lo)·1/4 = 0.35
        #expect(offset.value(atEpoch: 4) == 0.8)  // exactly hi, not 0.2 + 0.6000000000000001
    }

    @Test("cosine: lo + (hi − lo)·(1 − cos πp)/2")
    func cosineValues() {
        #expect(cosine.value(atEpoch: 0) == 0)  // (1 − cos 0)/2 = 0
        #expect(cosine.value(atEpoch: 10) == 1)
        #expect(abs(cosine.value(atEpoch: 5) - 0.5) < 1e-15)  // (1 − cos π/2)/2
        #expect(cosine.value(atEpoch: 2) == (1 - Double.cos(Double.pi * 0.2)) / 2)  // 0.0954915028125263
        #expect(abs(cosine.value(atEpoch: 2) - 0.0954915028125263) < 1e-15)
    }

    @Test("exponential: (1 − e^(−rp))/(1 − e^(−r)) reaches max_beta exactly at W")
    func exponentialValues() {
        #expect(exponential.value(atEpoch: 0) == 0)
        #expect(exponential.value(atEpoch: 10) == 1)  // exactly, p = 1
        // p = 0.5, r = 5: (1 − e^−2.5)/(1 − e^−5) = 0.917915/0.993262 = 0.924142
        #expect(abs(exponential.value(atEpoch: 5) - 0.9241418199787566) < 1e-12)
        // A larger rate rises faster.
        let steep = RampSchedule(shape: .exponential(rate: 20), start: 0, end: 1, length: .epochs(10))
        #expect(steep.value(atEpoch: 2) > exponential.value(atEpoch: 2))
    }

    @Test("ramps are monotone, bounded, and continuous per step", arguments: [RampShape.linear, .cosine, .exponential(rate: 5), .exponential(rate: 0.01)])
    func properties(shape: RampShape) {
        let ramp = RampSchedule(shape: shape, start: 0.1, end: 0.7, length: .epochs(3))
        var previous = -Double.infinity
        for step in 0..<(5 * 64) {
            let progress = TrainingProgress.batch(step % 64, ofEpoch: step / 64, stepsPerEpoch: 64)
            let value = ramp.value(at: progress)
            #expect(value >= 0.1 && value <= 0.7)
            #expect(value >= previous)
            #expect(value - max(previous, 0.1) < 0.03)  // no jumps: at most a few percent per step
            previous = value
        }
    }

    @Test("a warm-up in steps counts optimiser steps")
    func stepWarmup() {
        let ramp = RampSchedule(shape: .linear, start: 0, end: 1, length: .steps(100))
        #expect(ramp.value(at: .batch(10, ofEpoch: 1, stepsPerEpoch: 40)) == 0.5)  // step 50 of 100
        #expect(ramp.value(at: .epoch(2, stepsPerEpoch: 40)) == 0.8)  // step 80
        #expect(ramp.value(at: .epoch(3, stepsPerEpoch: 40)) == 1)
    }

    @Test("a zero-length warm-up is already complete")
    func zeroLength() {
        #expect(RampSchedule(shape: .linear, start: 0, end: 0.5, length: .epochs(0)).value(atEpoch: 0) == 0.5)
    }
}
