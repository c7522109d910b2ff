/// One optimisation step's numbers, for progress bars and batch-level logs.
public struct StepMetrics: Sendable {
    public var epoch: Int
    /// 1-based batch within the epoch.
    public var batch: Int
    public var stepsPerEpoch: Int
    /// The global step after this one (1 after the first step).
    public var globalStep: Int
    /// The optimised objective (with weights and shapings).
    public var loss: Double
    /// Reconstruction negative log-likelihood, batch mean.
    public var reconstruction: Double
    /// True KL per KL term, batch mean, in the model's KL-term order.
    public var kl: [Double]
    /// Every quantity's value at this step, in the run's quantity order (`RunConfiguration.quantities`).
    public var quantities: [Double]
    public var learningRate: Double
    public var skipped: Bool

    public var totalKL: Double { kl.reduce(0, +) }
}
