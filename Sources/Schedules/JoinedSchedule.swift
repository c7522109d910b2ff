/// Schedules played one after another (Optax's `join_schedules`): piece i runs from `boundaries[i−1]`
/// (0 for the first) until `boundaries[i]`, and sees the epochs since its own start, `t − boundaries[i−1]`.
public struct JoinedSchedule: ProgressSchedule, Hashable {
    public var pieces: [Schedule]
    /// Epochs where each piece after the first begins; strictly increasing, one fewer than `pieces`.
    public var boundaries: [Double]

    public init(pieces: [Schedule], boundaries: [Double]) {
        precondition(pieces.count == boundaries.count + 1, "one boundary between each pair of pieces")
        self.pieces = pieces
        self.boundaries = boundaries
    }

    /// The index of the piece that is active at `t`.
    public func pieceIndex(at progress: TrainingProgress) -> Int {
        var index = 0
        while index < boundaries.count && progress.epoch >= boundaries[index] { index += 1 }
        return index
    }

    public func value(at progress: TrainingProgress) -> Double {
        let index = pieceIndex(at: progress)
        let origin = index == 0 ? 0 : boundaries[index - 1]
        return pieces[index].value(at: progress.shifted(byEpochs: origin))
    }
}
