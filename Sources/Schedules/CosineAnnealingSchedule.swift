import RealModule

/// Cosine annealing from `base` to `etaMin` over `tMax` epochs:
/// `lr = η_min + (base − η_min)·(1 + cos(π·t/T_max))/2` for `t ≤ T_max`, then `η_min`.
///
/// PyTorch's `CosineAnnealingLR` closed form, except that it holds `η_min` after `T_max` instead of
/// rising again, which is what a run longer than `T_max` wants.
public struct CosineAnnealingSchedule: ProgressSchedule, Hashable {
    public var base: Double
    public var etaMin: Double
    public var tMax: Double

    public init(base: Double, etaMin: Double = 0, tMax: Double) {
        precondition(tMax > 0, "tMax must be positive")
        self.base = base
        self.etaMin = etaMin
        self.tMax = tMax
    }

    public func value(at progress: TrainingProgress) -> Double {
        let t = min(max(0, progress.epoch), tMax)
        return etaMin + (base - etaMin) * (1 + Double.cos(Double.pi * t / tMax)) / 2
    }
}
