import Testing
@testable import RunLog

@Suite("AxisTicks")
struct AxisTicksTests {
    @Test("ticks fall on 1, 2, 2.5 or 5 × 10ⁿ and cover the range")
    func niceSteps() {
        let unit = AxisTicks(minimum: 0, maximum: 1, count: 5)
        #expect(unit.step == 0.2)
        #expect(unit.lower == 0 && unit.upper == 1)
        #expect(unit.values.count == 6)
        let epochs = AxisTicks(minimum: 0, maximum: 149, count: 8)
        #expect(epochs.step == 20)
        #expect(epochs.upper == 160)
        let small = AxisTicks(minimum: 0, maximum: 0.02, count: 5)
        #expect(abs(small.step - 0.005) < 1e-15)
    }

    @Test("labels have just enough decimals")
    func labels() {
        let unit = AxisTicks(minimum: 0, maximum: 1, count: 5)
        #expect(unit.values.map(unit.label) == ["0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        let epochs = AxisTicks(minimum: 0, maximum: 100, count: 5)
        #expect(epochs.label(40) == "40")
        let tiny = AxisTicks(minimum: 0, maximum: 0.0002, count: 4)
        #expect(tiny.label(0.0001) == "0.0001")
    }

    @Test("a flat range is widened rather than divided by zero")
    func flat() {
        let flat = AxisTicks(minimum: 0.5, maximum: 0.5)
        #expect(flat.lower < 0.5 && flat.upper > 0.5)
        let zero = AxisTicks(minimum: 0, maximum: 0)
        #expect(zero.lower < 0 && zero.upper > 0)
    }
}
