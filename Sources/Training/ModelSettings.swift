import Layers
import Models

/// The model section (`model.*` in the run config), resolved against the data.
public struct ModelSettings: Hashable, Sendable {
    public var kind: ModelKind
    public var hiddenSizes: [Int]
    /// One size per KL term (global, local for the hierarchical model).
    public var latentSizes: [Int]
    public var likelihood: Likelihood
    public var activation: Activation
}
