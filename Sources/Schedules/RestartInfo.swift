/// Where a warm-restart schedule stands at some epoch (seed 000's `get_restart_info`).
public struct RestartInfo: Hashable, Sendable {
    /// The epoch of the most recent restart at or before this epoch; 0 before the first restart.
    public var lastRestartEpoch: Int
    /// `t − lastRestartEpoch` (fractional when evaluated per step).
    public var epochsSinceRestart: Double
    /// The next restart after this epoch, or nil when no restart follows (intervals that shrink,
    /// `restart_multiplier < 1`, end in a last restart).
    public var nextRestartEpoch: Int?
    /// True only in an epoch where a restart k ≥ 1 happens (never at epoch 0, the start of training).
    public var isRestartEpoch: Bool

    /// The values of the four restart columns (`ScheduleTable.restartColumns`), in order, as numbers: the next
    /// restart is nil when none follows, `is_restart_epoch` is 1 or 0. TensorBoard logs these; the schedule
    /// table shows the same values as cells.
    public var columnValues: [Double?] {
        [Double(lastRestartEpoch), epochsSinceRestart, nextRestartEpoch.map(Double.init), isRestartEpoch ? 1 : 0]
    }

    public init(lastRestartEpoch: Int, epochsSinceRestart: Double, nextRestartEpoch: Int?, isRestartEpoch: Bool) {
        self.lastRestartEpoch = lastRestartEpoch
        self.epochsSinceRestart = epochsSinceRestart
        self.nextRestartEpoch = nextRestartEpoch
        self.isRestartEpoch = isRestartEpoch
    }
}
