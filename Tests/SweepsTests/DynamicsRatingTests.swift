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
}
