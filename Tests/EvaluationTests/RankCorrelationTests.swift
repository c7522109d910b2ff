import Testing
@testable import Evaluation

@Suite("Spearman rank correlation")
struct RankCorrelationTests {
    @Test("ranks average ties; ρ by hand")
    func values() {
        #expect(RankCorrelation.ranks([10, 20, 20, 30]) == [1, 2.5, 2.5, 4])
        // Monotone in either direction: ±1, whatever the spacing.
        #expect(RankCorrelation.spearman([1, 2, 3, 4], [1, 10, 100, 1000]) == 1)
        #expect(RankCorrelation.spearman([1, 2, 3, 4], [9, 7, 3, 0]) == -1)
        // x = (1, 2, 3, 4, 5), y = (2, 1, 4, 3, 5): d = (−1, 1, −1, 1, 0), Σd² = 4, ρ = 1 − 6·4/(5·24) = 0.8.
        #expect(abs(RankCorrelation.spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])! - 0.8) < 1e-12)
        // With ties (scipy.stats.spearmanr([1, 2, 2, 3], [1, 2, 3, 4]) = 0.9486832980505139).
        #expect(abs(RankCorrelation.spearman([1, 2, 2, 3], [1, 2, 3, 4])! - 0.9486832980505139) < 1e-12)
        #expect(RankCorrelation.spearman([1, 1, 1], [1, 2, 3]) == nil)
    }

    @Test("ranks are the average positions of equal values in sorted order, on many ties; spearman with given y ranks is the same number")
    func ranksOnTies() {
        var state: UInt64 = 12345
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        let values = (0..<2000).map { _ in Double(next() % 50) }  // about 40 copies of each of 50 values
        let ranks = RankCorrelation.ranks(values)
        for value in Set(values) {
            // Below: the count of smaller values; the tie group occupies positions below+1 … below+count.
            let below = values.filter { $0 < value }.count, count = values.filter { $0 == value }.count
            let expected = Double(below) + Double(count + 1) / 2
            for (index, v) in values.enumerated() where v == value { #expect(ranks[index] == expected) }
        }
        let x = (0..<2000).map { _ in Double(next()) }
        #expect(RankCorrelation.spearman(x, values) == RankCorrelation.spearman(x, ranksOfY: ranks))
        #expect(RankCorrelation.spearman([1, 2, 3], ranksOfY: [2, 2, 2]) == nil)
    }
}
