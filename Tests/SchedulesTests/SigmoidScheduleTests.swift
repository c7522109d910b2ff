import RealModule
import Testing
@testable import Schedules

@Suite("SigmoidSchedule")
struct SigmoidScheduleTests {
    @Test("lo + (hi − lo)/(1 + e^(−k·(t − t0))): halfway at the midpoint")
    func values() {
        let sigmoid = SigmoidSchedule(start: 0, end: 1, steepness: 0.5, midpoint: .epochs(20))
        #expect(sigmoid.value(atEpoch: 20) == 0.5)  // 1/(1 + e^0)
        #expect(sigmoid.value(atEpoch: 24) == 1 / (1 + Double.exp(-2)))  // k·(t − t0) = 0.5·4 = 2 → 0.880797
        #expect(abs(sigmoid.value(atEpoch: 24) - 0.8807970779778823) < 1e-15)
        #expect(abs(sigmoid.value(atEpoch: 16) - (1 - 0.8807970779778823)) < 1e-15)  // symmetric
    }

    @Test("Bowman-style settings in steps: k = 0.0025, x0 = 2500")
    func steps() {
        let sigmoid = SigmoidSchedule(start: 0, end: 1, steepness: 0.0025, midpoint: .steps(2500))
        #expect(sigmoid.value(at: .batch(0, ofEpoch: 25, stepsPerEpoch: 100)) == 0.5)  // step 2500
        #expect(abs(sigmoid.value(at: .epoch(35, stepsPerEpoch: 100)) - 1 / (1 + Double.exp(-2.5))) < 1e-15)  // step 3500
    }

    @Test("bounded and increasing")
    func properties() {
        let sigmoid = SigmoidSchedule(start: 0.1, end: 0.9, steepness: 1, midpoint: .epochs(5))
        let values = sigmoid.values(0..<30)
        #expect(values.allSatisfy { $0 > 0.1 && $0 < 0.9 || $0 == 0.9 })
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 <= $1 })
    }
}
