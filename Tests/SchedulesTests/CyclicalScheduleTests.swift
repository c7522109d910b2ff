import RealModule
import Testing
@testable import Schedules

@Suite("CyclicalSchedule")
struct CyclicalScheduleTests {
    @Test("cosine wave: lo at the cycle start, hi mid-cycle (seed 000: cycle_length 20, 0 → 1)")
    func cosineWave() {
        let cyclical = CyclicalSchedule(start: 0, end: 1, cycleLength: 20, wave: .cosine)
        #expect(cyclical.value(atEpoch: 0) == 0)  // u = 0: (1 − cos 0)/2
        #expect(cyclical.value(atEpoch: 10) == 1)  // u = 1/2: (1 − cos π)/2 = 1
        #expect(abs(cyclical.value(atEpoch: 5) - 0.5) < 1e-15)  // u = 1/4: (1 − cos π/2)/2
        #expect(cyclical.value(atEpoch: 1) == (1 - Double.cos(2 * Double.pi * 0.05)) / 2)  // u = 1/20 → 0.0244717
        #expect(cyclical.value(atEpoch: 20) == 0)  // the next cycle starts at lo again
        #expect(cyclical.value(atEpoch: 30) == 1)
    }

    @Test("triangle wave: lo + (hi − lo)·(1 − |2u − 1|)")
    func triangleWave() {
        let cyclical = CyclicalSchedule(start: 0, end: 0.02, cycleLength: 20, wave: .triangle)
        #expect(cyclical.value(atEpoch: 0) == 0)
        #expect(cyclical.value(atEpoch: 5) == 0.01)  // u = 1/4: 1 − |−0.5| = 0.5 → 0.02·0.5
        #expect(cyclical.value(atEpoch: 10) == 0.02)  // u = 1/2: exactly hi
        #expect(cyclical.value(atEpoch: 15) == 0.01)  // u = 3/4
        #expect(cyclical.value(atEpoch: 20) == 0)
    }

    @Test("ramp wave (Fu et al.): lo + (hi − lo)·min(1, u/ratio)")
    func rampWave() {
        let cyclical = CyclicalSchedule(start: 0, end: 1, cycleLength: 20, wave: .ramp(ratio: 0.5))
        #expect(cyclical.value(atEpoch: 0) == 0)
        #expect(cyclical.value(atEpoch: 5) == 0.5)  // u = 0.25, u/R = 0.5
        #expect(cyclical.value(atEpoch: 10) == 1)  // u/R = 1
        #expect(cyclical.value(atEpoch: 19) == 1)  // held for the second half
        #expect(cyclical.value(atEpoch: 20) == 0)  // reset
        let full = CyclicalSchedule(start: 0.1, end: 1, cycleLength: 4, wave: .ramp(ratio: 1))
        #expect(full.value(atEpoch: 2) == 0.1 + (1 - 0.1) * 0.5)  // rises over the whole cycle
    }

    @Test("periodic: β(t + L) = β(t) at every epoch and step", arguments: [WaveType.cosine, .triangle, .ramp(ratio: 0.3)])
    func periodicity(wave: WaveType) {
        let cyclical = CyclicalSchedule(start: 0.05, end: 0.8, cycleLength: 16, wave: wave)
        for step in 0..<(16 * 8) {
            let here = TrainingProgress.batch(step % 8, ofEpoch: step / 8, stepsPerEpoch: 8)
            let later = TrainingProgress.batch(step % 8, ofEpoch: step / 8 + 16, stepsPerEpoch: 8)
            #expect(cyclical.value(at: here) == cyclical.value(at: later))
            #expect(cyclical.value(at: here) >= 0.05 && cyclical.value(at: here) <= 0.8)
        }
    }

    /// Fu et al.'s reference `frange_cycle_linear(n_iter, start, stop, n_cycle, ratio)` as the reference
    /// README describes it: fill with stop; in each cycle c, from i = 0, v = start: while v ≤ stop and
    /// int(i + c·P) < n_iter, L[int(i + c·P)] = v; v += (stop − start)/(P·R); i += 1.
    static func frangeCycleLinear(iterations: Int, start: Double, stop: Double, cycles: Int, ratio: Double) -> [Double] {
        var values = [Double](repeating: stop, count: iterations)
        let period = Double(iterations) / Double(cycles)
        let step = (stop - start) / (period * ratio)
        for c in 0..<cycles {
            var v = start
            var i = 0.0
            while v <= stop && Int(i + Double(c) * period) < iterations {
                values[Int(i + Double(c) * period)] = v
                v += step
                i += 1
            }
        }
        return values
    }

    @Test("per step, the ramp wave is Fu et al.'s frange_cycle_linear")
    func matchesFuEtAl() {
        // 10 epochs × 20 steps = 200 iterations, 4 cycles (P = 50 steps = 2.5 epochs), R = 0.5.
        let reference = Self.frangeCycleLinear(iterations: 200, start: 0, stop: 1, cycles: 4, ratio: 0.5)
        let cyclical = CyclicalSchedule(start: 0, end: 1, cycleLength: 2.5, wave: .ramp(ratio: 0.5))
        for step in 0..<200 {
            let value = cyclical.value(at: .batch(step % 20, ofEpoch: step / 20, stepsPerEpoch: 20))
            #expect(abs(value - reference[step]) < 1e-9, "step \(step): \(value) vs \(reference[step])")
        }
    }
}
