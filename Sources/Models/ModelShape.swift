import Layers

/// What a model is built for: the data's shape and the settings every model type shares.
public struct ModelShape: Hashable, Sendable {
    public var featureCount: Int
    /// Classes of the conditioning label (0 for unlabelled data).
    public var classCount: Int
    /// Classes per group of a categorical target (the ternary operations: 3), for the categorical likelihood.
    public var categoryGroupSize: Int?
    public var hiddenSizes: [Int]
    public var activation: Activation
    public var likelihood: Likelihood

    public init(featureCount: Int, classCount: Int = 0, categoryGroupSize: Int? = nil, hiddenSizes: [Int], activation: Activation = .relu, likelihood: Likelihood) {
        self.featureCount = featureCount
        self.classCount = classCount
        self.categoryGroupSize = categoryGroupSize
        self.hiddenSizes = hiddenSizes
        self.activation = activation
        self.likelihood = likelihood
    }
}
