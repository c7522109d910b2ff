import Layers

/// The training section's settings besides the quantities, the shaping and the sampler (`training.*`).
public struct TrainingSettings: Hashable, Sendable {
    public var numEpochs: Int
    public var batchSize: Int
    public var optimizer: OptimizerConfiguration
    /// Global-norm gradient clipping; nil for none.
    public var gradientClipNorm: Double?
    public var seed: UInt64
    /// Save a checkpoint every this many epochs (and always at the end and at the best validation ELBO).
    public var checkpointEvery: Int
    /// Stop after this many consecutive steps with non-finite gradients.
    public var maximumConsecutiveSkips: Int
    /// Stop when a metric stops improving, when configured.
    public var earlyStopping: EarlyStopping?
    /// When an epoch becomes `best.ckpt` (`training.keep_best`; default: the best validation ELBO).
    public var keepBest: KeepBestPolicy = .validationELBO

    public static let defaultEpochs = 20

    public init(numEpochs: Int, batchSize: Int = 128, optimizer: OptimizerConfiguration = .adam(), gradientClipNorm: Double? = 1,
                seed: UInt64 = 0, checkpointEvery: Int = 10, maximumConsecutiveSkips: Int = 10, earlyStopping: EarlyStopping? = nil) {
        self.numEpochs = numEpochs
        self.batchSize = batchSize
        self.optimizer = optimizer
        self.gradientClipNorm = gradientClipNorm
        self.seed = seed
        self.checkpointEvery = checkpointEvery
        self.maximumConsecutiveSkips = maximumConsecutiveSkips
        self.earlyStopping = earlyStopping
    }
}
