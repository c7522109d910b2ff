/// One optimisation step's numbers, for progress bars and batch-level logs.
public struct StepMetrics: Sendable {
    public var epoch: Int
    /// 1-based batch within the epoch.
    public var batch: Int
    public var stepsPerEpoch: Int
    /// The global step after this one (1 after the first step).
    public var globalStep: Int
    /// The optimised objective (with β, free bits or capacity).
    public var loss: Double
    /// Reconstruction negative log-likelihood, batch mean.
    public var reconstruction: Double
    /// True KL per term, batch mean, in the model's term order.
    public var kl: [Double]
    /// The KL weight of each term used for this step.
    public var weights: [Double]
    public var learningRate: Double
    public var skipped: Bool

    public var totalKL: Double { kl.reduce(0, +) }
}
