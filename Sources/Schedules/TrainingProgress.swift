/// Where training is: the epoch as a real number and the global optimiser step.
///
/// This is the only input a schedule sees (ARCHITECTURE.md, principle 1), so the same progress always gives
/// the same value and a resumed run needs nothing but the step to continue its schedules exactly.
///
/// The contract (issue 2): epochs are 0-based. Evaluated once per epoch, epoch `e` is `t = e` at step `e·K`.
/// Evaluated per step, batch `b` of the `K` batches of epoch `e` is `t = e + b/K` at step `e·K + b`.
/// At batch 0 both give exactly the same `t` and step, so values at integer `t` agree whichever way they
/// are asked for.
public struct TrainingProgress: Hashable, Sendable, CustomStringConvertible {
    /// The epoch as a real number, `t ≥ 0`.
    public var epoch: Double
    /// The global optimiser step (0-based), for schedules measured in steps.
    public var step: Int
    /// Batches per epoch `K`, used to convert between epochs and steps when a schedule shifts time.
    public var stepsPerEpoch: Int

    public init(epoch: Double, step: Int, stepsPerEpoch: Int = 1) {
        precondition(stepsPerEpoch >= 1, "stepsPerEpoch must be at least 1")
        self.epoch = epoch
        self.step = step
        self.stepsPerEpoch = stepsPerEpoch
    }

    /// The start of epoch `epoch`: `t = epoch`, step `epoch·K`.
    public static func epoch(_ epoch: Int, stepsPerEpoch: Int = 1) -> TrainingProgress {
        TrainingProgress(epoch: Double(epoch), step: epoch * stepsPerEpoch, stepsPerEpoch: stepsPerEpoch)
    }

    /// Batch `batch` (0-based) of epoch `epoch`: `t = epoch + batch/K`, step `epoch·K + batch`.
    public static func batch(_ batch: Int, ofEpoch epoch: Int, stepsPerEpoch: Int) -> TrainingProgress {
        precondition(batch >= 0 && batch < stepsPerEpoch, "batch must be in 0..<stepsPerEpoch")
        let fraction = Double(batch) / Double(stepsPerEpoch)
        return TrainingProgress(epoch: Double(epoch) + fraction, step: epoch * stepsPerEpoch + batch, stepsPerEpoch: stepsPerEpoch)
    }

    /// The epoch that contains this progress, `⌊t⌋`.
    public var epochIndex: Int { Int(epoch.rounded(.down)) }

    /// Progress measured from a later origin: `t − epochs`, and the step moved by the nearest whole number
    /// of steps to `epochs·K`. Used by schedules whose parts see "time since a boundary".
    public func shifted(byEpochs epochs: Double) -> TrainingProgress {
        TrainingProgress(
            epoch: epoch - epochs,
            step: step - Int((epochs * Double(stepsPerEpoch)).rounded()),
            stepsPerEpoch: stepsPerEpoch)
    }

    /// Progress measured from a later origin given in steps: `step − steps`, `t − steps/K`.
    public func shifted(bySteps steps: Int) -> TrainingProgress {
        TrainingProgress(epoch: epoch - Double(steps) / Double(stepsPerEpoch), step: step - steps, stepsPerEpoch: stepsPerEpoch)
    }

    public var description: String { "epoch \(epoch) (step \(step) of \(stepsPerEpoch)/epoch)" }
}
