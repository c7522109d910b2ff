/// Watches a run; progress bars, metric files and reports are observers, and never drive training
/// (ARCHITECTURE.md, principle 3).
public protocol TrainingObserver: AnyObject {
    func trainingStarted(totalEpochs: Int, stepsPerEpoch: Int, startEpoch: Int)
    func stepFinished(_ step: StepMetrics)
    func epochFinished(_ metrics: EpochMetrics)
    func checkpointSaved(path: String, reason: String)
    /// The run ended (completed, interrupted, or stopped by an error).
    func trainingFinished(completed: Bool)
}

extension TrainingObserver {
    public func trainingStarted(totalEpochs: Int, stepsPerEpoch: Int, startEpoch: Int) {}
    public func stepFinished(_ step: StepMetrics) {}
    public func epochFinished(_ metrics: EpochMetrics) {}
    public func checkpointSaved(path: String, reason: String) {}
    public func trainingFinished(completed: Bool) {}
}

/// An observer that writes the run's files (metrics, the TensorBoard log) and can fail to (a full disk). The
/// trainer checks it after each epoch's observers, before that epoch's checkpoints, and stops with the error:
/// a checkpoint never runs ahead of the files, so `--resume` rewrites the missing lines.
public protocol WritingObserver: TrainingObserver {
    /// The first write that failed, as "cannot write PATH: REASON"; nil while every write succeeded.
    var writeFailure: String? { get }
}
