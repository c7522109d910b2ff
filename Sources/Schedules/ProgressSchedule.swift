/// A value that depends only on training progress: β (KL weight), learning rate, temperature.
///
/// Implementations are pure: no counters, no mutation, so `value(at:)` can be asked in any order, from any
/// thread, and a reset-every-batch bug (valdersoul/bn-vae #1) cannot exist.
public protocol ProgressSchedule: Sendable {
    func value(at progress: TrainingProgress) -> Double
}

extension ProgressSchedule {
    /// The value at the start of epoch `epoch` (per-epoch granularity, one step per epoch).
    public func value(atEpoch epoch: Int) -> Double {
        value(at: .epoch(epoch))
    }
}
