import RealModule

/// Logistic annealing (Bowman et al. 2016): `β = lo + (hi − lo) / (1 + e^(−k·(x − x₀)))`.
///
/// `x` is the epoch `t` when the midpoint is given in epochs (`midpoint_epochs`, `midpoint_ratio`), or the
/// global step when it is given in steps (`midpoint_steps`); `k` (`steepness`) is per unit of that axis.
/// β is exactly halfway at the midpoint; it approaches but never equals `lo` and `hi`. Bowman-style
/// settings are `steepness 0.0025`, `midpoint_steps 2500` (timbmg/Sentence-VAE).
public struct SigmoidSchedule: ProgressSchedule, Hashable {
    public var start: Double
    public var end: Double
    public var steepness: Double
    public var midpoint: TrainingSpan

    public init(start: Double = 0, end: Double = 1, steepness: Double, midpoint: TrainingSpan) {
        self.start = start
        self.end = end
        self.steepness = steepness
        self.midpoint = midpoint
    }

    public func value(at progress: TrainingProgress) -> Double {
        let logistic = 1 / (1 + Double.exp(-steepness * midpoint.offset(of: progress)))
        return start + (end - start) * logistic
    }
}
