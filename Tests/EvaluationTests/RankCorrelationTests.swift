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
}
