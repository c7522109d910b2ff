/// The words of the "training dynamics" table (exploration, stability, convergence), each backed by a
/// measured number and placed on the range of that number among the compared groups:
///
/// - **Exploration**: the mutual information I(x; z) summed over KL terms (mean over seeds), the information
///   the latent code carries about the input. More is higher.
/// - **Stability**: `GroupSummary.instability`, √(seed spread² + late wobble²) in nats. Less is higher.
/// - **Convergence**: `GroupSummary.settleFraction`, the settle epoch over the run length. Earlier is faster.
///
/// With `best` and `worst` the best and worst scores among the groups that have one, a group's position is
/// u = (score − worst)/(best − worst) ∈ [0, 1]: the top word (High, Fast) when u ≥ 2/3, the bottom word (Low,
/// Slow) when u < 1/3, the middle word (Medium) between. Groups whose numbers are nearly equal get the same
/// word however they happen to be ordered, and a word means a distance on the measured scale, not a rank. When
/// every group has the same number, or only one group has one, there is nothing to tell apart: no words.
///
/// With `errors` (each score's standard error over its seeds), a word claims only what the seeds resolve: two
/// scores differ when they are more than twice the standard error of their difference apart,
/// |a − b| > 2·√(σ_a² + σ_b²). No group gets a word when the best and the worst do not differ; the top word
/// needs a score that differs from the worst, the bottom word one that differs from the best, and the others
/// get the middle word. A score without an error (one seed) gets no word. Two seeds rated 0.16 against 0.24
/// were called High against Low; their errors were larger than the difference.
public enum DynamicsRating {
    public static func words(_ scores: [Double?], errors: [Double?]? = nil, higherIsBetter: Bool, top: String, middle: String, bottom: String) -> [String?] {
        let known = scores.compactMap { $0 }.filter(\.isFinite)
        guard known.count >= 2, let low = known.min(), let high = known.max(), high > low else { return scores.map { _ in nil } }
        let best = higherIsBetter ? high : low, worst = higherIsBetter ? low : high
        func error(_ index: Int) -> Double? {
            guard let errors else { return 0 }
            guard let value = errors[index], value.isFinite else { return nil }
            return value
        }
        // The error of the best and the worst score (the largest among ties).
        func errorOf(_ value: Double) -> Double? {
            let matches = scores.indices.filter { scores[$0] == value }.map(error)
            return matches.contains { $0 == nil } ? nil : matches.compactMap { $0 }.max()
        }
        func differs(_ a: Double, _ errorA: Double?, _ b: Double, _ errorB: Double?) -> Bool {
            guard let errorA, let errorB else { return false }
            return abs(a - b) > 2 * (errorA * errorA + errorB * errorB).squareRoot()
        }
        let bestError = errorOf(best), worstError = errorOf(worst)
        guard differs(best, bestError, worst, worstError) else { return scores.map { _ in nil } }
        return scores.indices.map { index in
            guard let score = scores[index], score.isFinite, let own = error(index) else { return nil }
            let position = higherIsBetter ? (score - low) / (high - low) : (high - score) / (high - low)
            if position >= 2.0 / 3 && differs(score, own, worst, worstError) { return top }
            if position < 1.0 / 3 && differs(score, own, best, bestError) { return bottom }
            return middle
        }
    }

    /// The ratings commonly claimed for the schedules (exploration, stability, convergence), by built-in name.
    public static let claimed: [String: (exploration: String, stability: String, convergence: String)] = [
        "linear": ("Low", "High", "Fast"),
        "cosine": ("Medium", "High", "Smooth"),
        "cyclical": ("High", "Medium", "Variable"),
        "warm_restart": ("Very High", "Medium", "Robust"),
        "hierarchical": ("Customizable", "High", "Optimal"),
    ]
}
