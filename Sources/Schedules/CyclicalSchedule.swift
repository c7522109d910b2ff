/// Cyclical annealing: β repeats a wave between `lo` and `hi` every `cycleLength` epochs.
///
/// With `u = (t mod L)/L`:
/// - `cosine`:   `β = lo + (hi − lo)·(1 − cos 2πu)/2`
/// - `triangle`: `β = lo + (hi − lo)·(1 − |2u − 1|)`
/// - `ramp`:     `β = lo + (hi − lo)·min(1, u/R)` (Fu et al. 2019, "Cyclical Annealing Schedule", with
///   ratio R; their reference setting is 4 cycles, R = 0.5)
///
/// Config (seed 000): `cycle_length` L in epochs, or `num_cycles` M over `num_epochs` (L = num_epochs/M,
/// not rounded); `min_beta` (0), `max_beta` (1), `wave_type` (`cosine`), `ratio` (0.5, ramp only).
/// Evaluated per step, `t` is fractional and each cycle ramps per iteration as in Fu et al.
public struct CyclicalSchedule: ProgressSchedule, Hashable {
    public var start: Double
    public var end: Double
    public var cycleLength: Double
    public var wave: WaveType

    public init(start: Double = 0, end: Double = 1, cycleLength: Double, wave: WaveType = .cosine) {
        precondition(cycleLength > 0, "cycleLength must be positive")
        self.start = start
        self.end = end
        self.cycleLength = cycleLength
        self.wave = wave
    }

    /// The position in the current cycle, `u = (t mod L)/L ∈ [0, 1)`.
    public func cyclePosition(at progress: TrainingProgress) -> Double {
        var remainder = progress.epoch.truncatingRemainder(dividingBy: cycleLength)
        if remainder < 0 { remainder += cycleLength }
        return remainder / cycleLength
    }

    public func value(at progress: TrainingProgress) -> Double {
        interpolate(start, end, wave.fraction(cyclePosition(at: progress)))
    }
}
