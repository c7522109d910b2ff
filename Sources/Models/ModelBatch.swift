import Tensors

/// One batch as a model reads it: the input, what to reconstruct, and what to condition on.
public struct ModelBatch<Scalar: TensorScalar> {
    /// What the likelihood scores: the input's own values, or class indices per group.
    public enum Target {
        case values(Graph<Scalar>.Variable)
        /// rows × groups class indices, each group of `groupSize` classes.
        case labels(Graph<Scalar>.Labels, groupSize: Int)
    }

    /// rows × features.
    public var input: Graph<Scalar>.Variable
    public var target: Target
    /// The one-hot class label (rows × classes), for conditional models.
    public var conditions: Graph<Scalar>.Variable?
    /// A per-example difficulty (rows × 1: the ternary operations' valuation), for losses that use it.
    public var difficulty: Graph<Scalar>.Variable?

    public init(input: Graph<Scalar>.Variable, target: Target, conditions: Graph<Scalar>.Variable? = nil, difficulty: Graph<Scalar>.Variable? = nil) {
        self.input = input
        self.target = target
        self.conditions = conditions
        self.difficulty = difficulty
    }

    /// The number of examples.
    public func rows(in graph: Graph<Scalar>) -> Int { graph.shape(input).rows }
}
