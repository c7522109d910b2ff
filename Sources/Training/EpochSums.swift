/// Running sums over an epoch's training batches, weighted by batch size.
public struct EpochSums: Codable, Equatable, Sendable {
    public var examples = 0
    public var loss = 0.0
    public var reconstruction = 0.0
    /// True KL per term, summed over examples.
    public var kl: [Double]
    /// True KL per term and latent dimension, summed over examples.
    public var klPerDimension: [[Double]]
    public var skippedSteps = 0
    public var gradientNormSum = 0.0
    public var steps = 0

    public init(latentSizes: [Int]) {
        kl = latentSizes.map { _ in 0 }
        klPerDimension = latentSizes.map { [Double](repeating: 0, count: $0) }
    }
}
