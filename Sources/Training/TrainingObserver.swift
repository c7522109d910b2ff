/// Watches a run; progress bars, metric files and reports are observers, and never drive training
/// (ARCHITECTURE.md, principle 3).
public protocol TrainingObserver: AnyObject {
    func trainingStarted(totalEpochs: Int, stepsPerEpoch: Int, startEpoch: Int)
    func stepFinished(epoch: Int, batch: Int, stepsPerEpoch: Int, loss: Double, kl: Double, beta: Double)
    func epochFinished(_ metrics: EpochMetrics)
    func checkpointSaved(path: String, reason: String)
}

extension TrainingObserver {
    public func trainingStarted(totalEpochs: Int, stepsPerEpoch: Int, startEpoch: Int) {}
    public func stepFinished(epoch: Int, batch: Int, stepsPerEpoch: Int, loss: Double, kl: Double, beta: Double) {}
    public func epochFinished(_ metrics: EpochMetrics) {}
    public func checkpointSaved(path: String, reason: String) {}
}
