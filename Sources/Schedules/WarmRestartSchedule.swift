import RealModule

/// Warm restarts: a base schedule that starts over at restart epochs whose intervals grow (or shrink) by a
/// multiplier. Seed 000's `WarmRestartBetaScheduler`.
///
/// Restart k ≥ 1 is at epoch `R_k = round(I·(m^k − 1)/(m − 1))` (`k·I` when m = 1) for `restart_interval` I > 0
/// and `restart_multiplier` m > 0, non-integer allowed: the k-th interval is `I·m^(k−1)`, so the seed's
/// I = 40, m = 1.2 restarts at 40, 88 (40 + 48), 146 (88 + 57.6, rounded). Rounding is half-up, and a sum
/// within 1e-9 (relative) below a half counts as the half, so decimal ties such as 199.5 round up the way a
/// person computing by hand expects instead of following binary representation error. Restarts that round to
/// the same epoch count once; one that rounds to epoch 0 is no restart.
///
/// The base schedule sees the epochs since the last restart, `t − R_k` (and steps shifted to match), so β is
/// exactly the base schedule's start value at every restart.
public struct WarmRestartSchedule: ProgressSchedule, Hashable {
    public var base: Schedule
    public var restartInterval: Double
    public var restartMultiplier: Double

    /// Restart indices are searched up to this k; beyond it, intervals that shrink have converged and
    /// intervals that grow are astronomically far away.
    static let maximumRestartIndex = 1 << 40

    public init(base: Schedule, restartInterval: Double, restartMultiplier: Double = 1) {
        precondition(restartInterval > 0 && restartMultiplier > 0, "interval and multiplier must be positive")
        self.base = base
        self.restartInterval = restartInterval
        self.restartMultiplier = restartMultiplier
    }

    /// `S_k = I·(m^k − 1)/(m − 1)`, the unrounded epoch of restart k (`k·I` when m = 1).
    public func unroundedRestartEpoch(_ k: Int) -> Double {
        if k <= 0 { return 0 }
        if restartMultiplier == 1 { return Double(k) * restartInterval }
        let power = Double.pow(restartMultiplier, Double(k))
        return restartInterval * (power - 1) / (restartMultiplier - 1)
    }

    /// `R_k`, the epoch of restart k, as a whole number held in a Double (it may be +∞ for huge k).
    public func restartEpoch(_ k: Int) -> Double {
        let sum = unroundedRestartEpoch(k)
        guard sum.isFinite else { return .infinity }
        return (sum + 0.5 + 1e-9 * max(1, abs(sum))).rounded(.down)
    }

    /// The largest k ≥ 0 with `R_k ≤ epoch` (R_0 = 0). `R_k` never decreases with k, so an exponential
    /// search followed by bisection finds it with O(log k) evaluations and no stored table.
    func lastRestartIndex(atOrBefore epoch: Double) -> Int {
        var low = 0
        var high = 1
        while restartEpoch(high) <= epoch {
            low = high
            if high >= WarmRestartSchedule.maximumRestartIndex { return high }
            high *= 2
        }
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if restartEpoch(middle) <= epoch { low = middle } else { high = middle }
        }
        return low
    }

    /// Restart information for the epoch containing `progress` (seed 000's `get_restart_info`).
    public func restartInfo(at progress: TrainingProgress) -> RestartInfo {
        let epochIndex = progress.epoch.rounded(.down)
        let k = lastRestartIndex(atOrBefore: epochIndex)
        let last = k > 0 ? restartEpoch(k) : 0
        let lastEpoch = last > 0 && last < 9e15 ? Int(last) : 0
        var next: Int?
        if k < WarmRestartSchedule.maximumRestartIndex {
            let candidate = restartEpoch(k + 1)
            if candidate < 9e15 { next = Int(candidate) }
        }
        return RestartInfo(
            lastRestartEpoch: lastEpoch,
            epochsSinceRestart: progress.epoch - Double(lastEpoch),
            nextRestartEpoch: next,
            isRestartEpoch: lastEpoch > 0 && Double(lastEpoch) == epochIndex)
    }

    /// All restart epochs k ≥ 1 that fall in `0..<epochs`, in order, without repeats.
    public func restartEpochs(before epochs: Int) -> [Int] {
        var result: [Int] = []
        var k = 1
        while k <= WarmRestartSchedule.maximumRestartIndex {
            let epoch = restartEpoch(k)
            if epoch >= Double(epochs) { break }
            if epoch > 0, result.last.map({ Double($0) != epoch }) ?? true { result.append(Int(epoch)) }
            // With shrinking intervals the epochs converge; stop once they stop moving.
            if restartMultiplier < 1, epoch == restartEpoch(WarmRestartSchedule.maximumRestartIndex) { break }
            k += 1
        }
        return result
    }

    public func value(at progress: TrainingProgress) -> Double {
        let info = restartInfo(at: progress)
        return base.value(at: progress.shifted(byEpochs: Double(info.lastRestartEpoch)))
    }
}
