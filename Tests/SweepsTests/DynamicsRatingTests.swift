import Testing
@testable import Sweeps

@Suite("DynamicsRating")
struct DynamicsRatingTests {
    @Test("words by position on the measured range: top third, middle, bottom third")
    func words() {
        // Range 0…9, higher better: u = score/9; 6 and above top, below 3 bottom.
        let words = DynamicsRating.words([9, 6, 5.9, 3, 2.9, 0], higherIsBetter: true, top: "High", middle: "Medium", bottom: "Low")
        #expect(words == ["High", "High", "Medium", "Medium", "Low", "Low"])
        // Lower is better: 1 is best, 9 worst.
        #expect(DynamicsRating.words([1, 1.01, 9, 5], higherIsBetter: false, top: "Fast", middle: "Medium", bottom: "Slow") == ["Fast", "Fast", "Slow", "Medium"])
    }

    @Test("nearly equal numbers share a word, whatever their order")
    func nearTies() {
        // Stability numbers of two warm-ups and two cyclical schedules: the warm-ups differ in the fourth digit.
        let words = DynamicsRating.words([0.0447, 0.0446, 4.17, 4.39], higherIsBetter: false, top: "High", middle: "Medium", bottom: "Low")
        #expect(words == ["High", "High", "Low", "Low"])
    }

    @Test("no words when there is nothing to tell apart; a group without the number gets none")
    func nothingToCompare() {
        #expect(DynamicsRating.words([3], higherIsBetter: true, top: "H", middle: "M", bottom: "L") == [nil])
        #expect(DynamicsRating.words([2, 2], higherIsBetter: true, top: "H", middle: "M", bottom: "L") == [nil, nil])
        #expect(DynamicsRating.words([nil, 2, 1], higherIsBetter: true, top: "H", middle: "M", bottom: "L") == [nil, "H", "L"])
    }

    @Test("with standard errors, words claim only what the seeds resolve: 0.16 against 0.24 from two seeds each is unresolved")
    func uncertainty() {
        // Stability 0.16 and 0.24 with standard errors 0.08 and 0.12: |0.08| < 2·√(0.08² + 0.12²) = 0.288.
        #expect(DynamicsRating.words([0.16, 0.24], errors: [0.08, 0.12], higherIsBetter: false, top: "High", middle: "Medium", bottom: "Low") == [nil, nil])
        // Well apart (errors 0.01): High and Low.
        #expect(DynamicsRating.words([0.16, 0.24], errors: [0.01, 0.01], higherIsBetter: false, top: "High", middle: "Medium", bottom: "Low") == ["High", "Low"])
        // Three groups: the ends differ, the one near the top does not differ from the worst: Medium, not High.
        // 9 ± 0.1, 6.5 ± 4 (position 0.72, but |6.5 − 0| < 2·√(16 + 0.01) = 8.0), 0 ± 0.1.
        #expect(DynamicsRating.words([9, 6.5, 0], errors: [0.1, 4, 0.1], higherIsBetter: true, top: "High", middle: "Medium", bottom: "Low") == ["High", "Medium", "Low"])
        // One seed (no error): no word for it; and none at all when it is an end of the range.
        #expect(DynamicsRating.words([9, 0], errors: [nil, 0.1], higherIsBetter: true, top: "H", middle: "M", bottom: "L") == [nil, nil])
    }
}
