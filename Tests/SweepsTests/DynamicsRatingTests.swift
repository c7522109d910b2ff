import Testing
@testable import Sweeps

@Suite("DynamicsRating")
struct DynamicsRatingTests {
    @Test("words by rank: top third, middle, bottom third; ties share the better rank; one group gets none")
    func words() {
        // Six scores, higher better: ranks 0…5; r < 2 top, r ≥ 4 bottom.
        let words = DynamicsRating.words([6, 5, 4, 3, 2, 1], higherIsBetter: true, top: "High", middle: "Medium", bottom: "Low")
        #expect(words == ["High", "High", "Medium", "Medium", "Low", "Low"])
        // Lower is better, and a tie: both 1s rank 0.
        #expect(DynamicsRating.words([1, 1, 9], higherIsBetter: false, top: "Fast", middle: "Medium", bottom: "Slow") == ["Fast", "Fast", "Slow"])
        // A group without the number gets no word, and does not count in the ranking.
        #expect(DynamicsRating.words([nil, 2, 1], higherIsBetter: true, top: "H", middle: "M", bottom: "L") == [nil, "H", "M"])
        #expect(DynamicsRating.words([3], higherIsBetter: true, top: "H", middle: "M", bottom: "L") == [nil])
    }
}
