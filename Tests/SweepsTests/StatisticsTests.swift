import Testing
@testable import Sweeps

@Suite("Statistics")
struct StatisticsTests {
    @Test("mean and sample standard deviation (n − 1); one value has spread 0, none has neither")
    func meanAndSpread() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, Σ(x − 5)² = 32, s = √(32/7) = 2.138…
        let values: [Double] = [2, 4, 4, 4, 5, 5, 7, 9]
        #expect(Statistics.mean(values) == 5)
        #expect(abs(Statistics.standardDeviation(values)! - (32.0 / 7).squareRoot()) < 1e-12)
        #expect(Statistics.standardDeviation([3]) == 0)
        #expect(Statistics.mean([]) == nil && Statistics.standardDeviation([]) == nil)
    }
}
