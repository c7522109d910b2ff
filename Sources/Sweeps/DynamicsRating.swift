/// The words of the "training dynamics" table (exploration, stability, convergence), each backed by a
/// measured number and given by rank among the compared groups, never by a fixed threshold:
///
/// - **Exploration**: the mutual information I(x; z) summed over KL terms (mean over seeds), the information
///   the latent code carries about the input; ties are broken by active units. More is higher.
/// - **Stability**: `GroupSummary.instability`, √(seed spread² + late wobble²) in nats. Less is higher.
/// - **Convergence**: `GroupSummary.settleFraction`, the settle epoch over the run length. Earlier is faster.
///
/// With n groups ranked best first, the group at 0-based rank r (groups with equal numbers share the best
/// rank among them) is in the top third (High, Fast) when r < n/3, the bottom third (Low, Slow) when
/// r ≥ 2n/3, and the middle (Medium) otherwise. One group alone gets no word: there is nothing to rank it
/// against.
public enum DynamicsRating {
    public static func words(_ scores: [Double?], higherIsBetter: Bool, top: String, middle: String, bottom: String) -> [String?] {
        let known = scores.compactMap { $0 }
        guard known.count >= 2 else { return scores.map { _ in nil } }
        return scores.map { score in
            guard let score else { return nil }
            let better = known.filter { higherIsBetter ? $0 > score : $0 < score }.count
            let n = Double(known.count)
            if Double(better) < n / 3 { return top }
            if Double(better) >= 2 * n / 3 { return bottom }
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
