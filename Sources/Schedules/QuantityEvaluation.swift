/// When a scheduled quantity is evaluated: once at the start of each epoch (t = e, the seed's loop), or at
/// every step (t = e + b/K).
public enum QuantityEvaluation: String, CaseIterable, Hashable, Sendable {
    case epoch
    case step

    /// The progress at which a quantity evaluated this way is read at `progress`.
    @inline(__always)
    public func progress(_ progress: TrainingProgress) -> TrainingProgress {
        self == .step ? progress : .epoch(progress.epochIndex, stepsPerEpoch: progress.stepsPerEpoch)
    }
}
