import Layers

/// The training section's settings besides the quantities, the shaping and the sampler (`training.*`).
public struct TrainingSettings: Hashable, Sendable {
    public var numEpochs: Int
    public var batchSize: Int
    public var optimizer: OptimizerConfiguration
    /// Global-norm gradient clipping; nil for none.
    public var gradientClipNorm: Double?
    public var seed: UInt64
    /// Save `last.ckpt` every this many epochs (and always at the end, on a stop, and `best.ckpt` at the best).
    public var checkpointEvery: Int
    /// Also save `last.ckpt` inside an epoch, at the exact step, once this many minutes have passed since the
    /// last checkpoint (`training.checkpoint_every_minutes`); nil never does. A long epoch (dSprites-style data,
    /// large files) then loses at most this much work to a kill -9 or a power cut.
    public var checkpointEveryMinutes: Double? = TrainingSettings.defaultCheckpointMinutes
    /// Also save `last.ckpt` inside an epoch every this many steps of it (`training.checkpoint_every_steps`, as
    /// Keras's `save_freq`); nil never does.
    public var checkpointEverySteps: Int?
    /// At most this many steps an epoch (`training.steps_per_epoch`, as Keras's): each epoch draws its order as
    /// ever and trains on its first `steps_per_epoch` batches, for data sets whose one pass is too long for an
    /// epoch (dsprites' 737,280 images are 11,520 steps of 64); nil is one pass over the training examples.
    public var stepsPerEpoch: Int?
    /// Stop after this many consecutive steps with non-finite gradients.
    public var maximumConsecutiveSkips: Int
    /// Stop when a metric stops improving, when configured.
    public var earlyStopping: EarlyStopping?
    /// When an epoch becomes `best.ckpt` (`training.keep_best`; default: the best validation ELBO).
    public var keepBest: KeepBestPolicy = .validationELBO

    public static let defaultEpochs = 20
    /// Checkpoints every epoch by default: a kill loses at most one epoch.
    public static let defaultCheckpointEvery = 1
    /// Within long epochs, a checkpoint every 10 minutes by default.
    public static let defaultCheckpointMinutes = 10.0

    public init(numEpochs: Int, batchSize: Int = 128, optimizer: OptimizerConfiguration = .adam(), gradientClipNorm: Double? = 1,
                seed: UInt64 = 0, checkpointEvery: Int = TrainingSettings.defaultCheckpointEvery, maximumConsecutiveSkips: Int = 10, earlyStopping: EarlyStopping? = nil) {
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
