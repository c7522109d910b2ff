/// The `logging` section: what a run writes besides metrics.jsonl and metrics.csv.
public struct LoggingSettings: Hashable, Sendable {
    /// Write TensorBoard event files into the run folder (default true).
    public var tensorBoard = true
    /// Batch-level scalars every n-th step (default 1: every step).
    public var logEveryNBatches = 1
    /// Epochs between the cheap disentanglement scores of `EpochDisentanglement` (MIG, SAP and the unsupervised
    /// scores on a fixed subset), recorded in the epoch's metrics; nil (the default): none. They are scored at
    /// epoch 0 and every n-th epoch after it; the run's end has disentanglement.json.
    public var disentanglementEvery: Int?
    /// Score the disentanglement of a run that ended, on data with factors, into disentanglement.json (default
    /// true; about 50 s for the quick start's model).
    public var disentanglementAtEnd = true

    public init(tensorBoard: Bool = true, logEveryNBatches: Int = 1, disentanglementEvery: Int? = nil) {
        self.tensorBoard = tensorBoard
        self.logEveryNBatches = logEveryNBatches
        self.disentanglementEvery = disentanglementEvery
    }
}
