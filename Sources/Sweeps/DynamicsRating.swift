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
public enum DynamicsRating {
    public static func words(_ scores: [Double?], higherIsBetter: Bool, top: String, middle: String, bottom: String) -> [String?] {
        let known = scores.compactMap { $0 }.filter(\.isFinite)
        guard known.count >= 2, let low = known.min(), let high = known.max(), high > low else { return scores.map { _ in nil } }
        return scores.map { score in
            guard let score, score.isFinite else { return nil }
            let position = higherIsBetter ? (score - low) / (high - low) : (high - score) / (high - low)
            if position >= 2.0 / 3 { return top }
            if position < 1.0 / 3 { return bottom }
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
