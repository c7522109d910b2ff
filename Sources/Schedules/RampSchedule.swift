/// A warm-up: from `start` to `end` over `length`, then held at `end`.
///
/// With `p = clamp(t / W, 0, 1)` for a warm-up of `W` epochs (or `step / S` for `S` steps):
/// - `linear`:      `β = lo + (hi − lo)·p`
/// - `cosine`:      `β = lo + (hi − lo)·(1 − cos πp)/2`
/// - `exponential`: `β = lo + (hi − lo)·(1 − e^(−r·p))/(1 − e^(−r))`, reaching `hi` exactly at `W`
/// where `lo = min_beta` (default 0) and `hi = max_beta` (default 1). Source: seed 000 ("linear, cosine,
/// exponential" base schedulers with `max_beta`, `warmup_epochs`); the exponential form is ours, chosen so
/// that it starts at `lo` and ends at `hi` exactly, which a plain `1 − e^(−rt)` never does.
public struct RampSchedule: ProgressSchedule, Hashable {
    public var shape: RampShape
    public var start: Double
    public var end: Double
    public var length: TrainingSpan

    public init(shape: RampShape, start: Double = 0, end: Double = 1, length: TrainingSpan) {
        self.shape = shape
        self.start = start
        self.end = end
        self.length = length
    }

    public func value(at progress: TrainingProgress) -> Double {
        interpolate(start, end, shape.fraction(length.fraction(at: progress)))
    }
}
