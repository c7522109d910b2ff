import Layers
import Schedules

/// The training section's settings besides the schedules (`training.*` in the run config).
public struct TrainingSettings: Hashable, Sendable {
    /// When β is evaluated: at the start of each epoch (the seed's loop), or at every step (t = e + b/K).
    public enum Granularity: String, CaseIterable, Sendable {
        case epoch
        case step
    }

    public var numEpochs: Int
    public var batchSize: Int
    public var optimizer: OptimizerConfiguration
    public var betaGranularity: Granularity
    public var freeBits: FreeBits?
    /// Global-norm gradient clipping; nil for none.
    public var gradientClipNorm: Double?
    public var seed: UInt64
    /// Save a checkpoint every this many epochs (and always at the end and at the best validation ELBO).
    public var checkpointEvery: Int
    /// Stop after this many consecutive steps with non-finite gradients.
    public var maximumConsecutiveSkips: Int
    /// Capacity annealing instead of β weighting, when configured.
    public var capacity: CapacityAnnealing?

    public static let defaultEpochs = 20
}
