/// Seed 001's `VAELoss` fix: a linear warm-up tied to the run's real length.
///
/// `β(e) = hi·min(1, (e + 1)/(T·r))` for `T = num_epochs` (or `total_epochs`), `r = beta_warmup_ratio`
/// (default 0.5) and `hi = max_beta` (default 1). It counts the current epoch (the `+ 1`) and does not
/// truncate `T·r`, so the seed's tables come out exactly: T = 10, r = 0.5 gives 0.2, 0.4, 0.6, 0.8, 1.0;
/// T = 10 with r = 0.25 first reaches 1.0 at 1-based epoch 3 (T·r = 2.5). Per step, `e` is the fractional `t`.
public struct AdaptiveWarmupSchedule: ProgressSchedule, Hashable {
    public var maxBeta: Double
    public var warmupRatio: Double
    public var totalEpochs: Int

    public init(maxBeta: Double = 1, warmupRatio: Double = 0.5, totalEpochs: Int) {
        precondition(warmupRatio > 0 && totalEpochs > 0, "ratio and total epochs must be positive")
        self.maxBeta = maxBeta
        self.warmupRatio = warmupRatio
        self.totalEpochs = totalEpochs
    }

    /// `T·r`, the warm-up length in epochs (not truncated).
    public var warmupEpochs: Double { Double(totalEpochs) * warmupRatio }

    public func value(at progress: TrainingProgress) -> Double {
        let fraction = (progress.epoch + 1) / warmupEpochs
        return fraction >= 1 ? maxBeta : maxBeta * fraction
    }
}
