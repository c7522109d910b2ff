import RealModule

/// Learning rate decayed by `gamma` every `stepSize` epochs: `lr = base·γ^⌊t/step_size⌋`
/// (PyTorch's `StepLR`). Per step the rate stays constant within an epoch-aligned stair.
public struct StepDecaySchedule: ProgressSchedule, Hashable {
    public var base: Double
    public var stepSize: Double
    public var gamma: Double

    public init(base: Double, stepSize: Double, gamma: Double = 0.1) {
        precondition(stepSize > 0, "stepSize must be positive")
        self.base = base
        self.stepSize = stepSize
        self.gamma = gamma
    }

    public func value(at progress: TrainingProgress) -> Double {
        let decays = (max(0, progress.epoch) / stepSize).rounded(.down)
        return base * Double.pow(gamma, decays)
    }
}
