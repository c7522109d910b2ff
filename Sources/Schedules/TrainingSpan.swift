import JSONConfig

/// A length of training (or a point in it, measured from the start), in epochs or in optimiser steps.
///
/// Configs give it as `<name>_epochs`, `<name>_steps` or `<name>_ratio`; a ratio is resolved against the
/// run's `num_epochs` when the config is read, so at run time a span is always epochs or steps.
public enum TrainingSpan: Hashable, Sendable, CustomStringConvertible {
    case epochs(Double)
    case steps(Int)

    /// How far `progress` is along the span, clamped to [0, 1]. A zero-length span is already complete.
    public func fraction(at progress: TrainingProgress) -> Double {
        switch self {
        case .epochs(let length):
            guard length > 0 else { return 1 }
            return min(1, max(0, progress.epoch / length))
        case .steps(let length):
            guard length > 0 else { return 1 }
            return min(1, max(0, Double(progress.step) / Double(length)))
        }
    }

    /// Signed distance of `progress` from this point, in the span's own unit (epochs or steps).
    public func offset(of progress: TrainingProgress) -> Double {
        switch self {
        case .epochs(let point): return progress.epoch - point
        case .steps(let point): return Double(progress.step - point)
        }
    }

    /// The span in epochs, given `K` steps per epoch.
    public func inEpochs(stepsPerEpoch: Int) -> Double {
        switch self {
        case .epochs(let length): return length
        case .steps(let steps): return Double(steps) / Double(stepsPerEpoch)
        }
    }

    public var description: String {
        switch self {
        case .epochs(let length): return "\(Format.number(length)) epochs"
        case .steps(let steps): return "\(steps) steps"
        }
    }
}

extension TrainingSpan {
    /// The config member for this span: `<prefix>_epochs` or `<prefix>_steps`.
    public func json(prefix: String) -> (String, JSONValue) {
        switch self {
        case .epochs(let epochs): return ("\(prefix)_epochs", .number(epochs))
        case .steps(let steps): return ("\(prefix)_steps", .number(steps))
        }
    }
}
