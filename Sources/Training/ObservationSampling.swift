import Data
import Models
import Tensors

/// Turns the mean of p(x | z) into examples that live where the data does, for comparing generated with real
/// examples and for writing samples: categorical data gets a class drawn for each group (one-hot), binary data
/// under a Bernoulli likelihood gets its bits drawn, anything else keeps the mean.
public enum ObservationSampling {
    public enum Kind: Sendable, Equatable, CustomStringConvertible {
        case categorical
        case bits
        case mean

        public var description: String {
            switch self {
            case .categorical: return "a class drawn for each group of p(x | z)"
            case .bits: return "bits drawn from p(x | z)"
            case .mean: return "the mean of p(x | z)"
            }
        }
    }

    /// What to draw for a model with `likelihood` on `dataset`.
    public static func kind(likelihood: Likelihood, dataset: Dataset) -> Kind {
        switch likelihood {
        case .categorical: return .categorical
        case .bernoulli: return dataset.isBinary ? .bits : .mean
        default: return .mean
        }
    }

    /// Replaces the means in `values` (rows of probabilities or means) by draws of `kind`.
    public static func draw(_ values: inout [Float], kind: Kind, groupSize: Int, noise: inout RandomGenerator) {
        switch kind {
        case .mean:
            return
        case .bits:
            for i in values.indices { values[i] = Float(noise.uniform()) < values[i] ? 1 : 0 }
        case .categorical:
            var start = 0
            while start + groupSize <= values.count {
                let u = Float(noise.uniform())
                var cumulative: Float = 0
                var chosen = groupSize - 1
                for k in 0..<groupSize {
                    cumulative += values[start + k]
                    if u < cumulative { chosen = k; break }
                }
                for k in 0..<groupSize { values[start + k] = k == chosen ? 1 : 0 }
                start += groupSize
            }
        }
    }
}
