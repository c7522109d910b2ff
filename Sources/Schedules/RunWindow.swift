/// The stretch of training a schedule is checked against: `numEpochs` epochs of `stepsPerEpoch` steps,
/// evaluated per epoch (`stepsPerEpoch == 1`) or per step.
public struct RunWindow: Hashable, Sendable {
    public var numEpochs: Int
    public var stepsPerEpoch: Int
    /// How messages name this window ("the run", "the first restart interval").
    public var name: String
    /// Epochs of the window that pass before the schedule being checked starts its own clock (a learning-rate
    /// warm-up before the cosine it leads into). Messages give epochs of the run; the schedule sees `t − offset`.
    public var offset: Double
    /// Whether the schedule is evaluated once per epoch in this window (so only epoch starts matter); a window
    /// of one step per epoch is, unless told otherwise.
    public var evaluatedPerEpoch: Bool

    public init(numEpochs: Int, stepsPerEpoch: Int = 1, name: String = "the run", offset: Double = 0, evaluatedPerEpoch: Bool? = nil) {
        self.numEpochs = numEpochs
        self.stepsPerEpoch = stepsPerEpoch
        self.name = name
        self.offset = offset
        self.evaluatedPerEpoch = evaluatedPerEpoch ?? (stepsPerEpoch == 1)
    }

    /// The epochs the schedule itself sees: `numEpochs − offset`.
    public var length: Double { Double(numEpochs) - offset }

    /// `last` on the schedule's own clock (shifted by `offset`).
    public var ownLast: TrainingProgress { last.shifted(byEpochs: offset) }

    /// The last point at which a schedule is evaluated: the start of the last epoch when evaluated per
    /// epoch, the last batch of the last epoch when evaluated per step.
    public var last: TrainingProgress {
        if stepsPerEpoch == 1 { return .epoch(numEpochs - 1) }
        return .batch(stepsPerEpoch - 1, ofEpoch: numEpochs - 1, stepsPerEpoch: stepsPerEpoch)
    }

    /// "epoch 9" or "step 999 (epoch 9.99)".
    public var lastDescription: String {
        let point = last
        if stepsPerEpoch == 1 { return "epoch \(point.epochIndex)" }
        return "step \(point.step) (epoch \(Format.short(point.epoch)))"
    }
}
