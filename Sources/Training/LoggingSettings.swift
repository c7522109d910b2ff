/// The `logging` section: what a run writes besides metrics.jsonl and metrics.csv.
public struct LoggingSettings: Hashable, Sendable {
    /// Write TensorBoard event files into the run folder (default true).
    public var tensorBoard = true
    /// Batch-level scalars every n-th step (default 1: every step).
    public var logEveryNBatches = 1

    public init(tensorBoard: Bool = true, logEveryNBatches: Int = 1) {
        self.tensorBoard = tensorBoard
        self.logEveryNBatches = logEveryNBatches
    }
}
