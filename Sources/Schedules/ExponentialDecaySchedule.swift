import RealModule

/// Learning rate decayed by `gamma` per epoch: `lr = base·γ^t` (PyTorch's `ExponentialLR` at integer `t`,
/// continuous in between when evaluated per step).
public struct ExponentialDecaySchedule: ProgressSchedule, Hashable {
    public var base: Double
    public var gamma: Double

    public init(base: Double, gamma: Double) {
        self.base = base
        self.gamma = gamma
    }

    public func value(at progress: TrainingProgress) -> Double {
        base * Double.pow(gamma, max(0, progress.epoch))
    }
}
