/// Running sums over an epoch's training batches, weighted by batch size.
public struct EpochSums: Codable, Equatable, Sendable {
    public var examples = 0
    /// The optimised objective times the batch size, summed.
    public var loss = 0.0
    /// Each loss term summed over examples (and over its columns), in the model's term order.
    public var terms: [Double]
    /// Each KL term's values per latent dimension, summed over examples (empty for a term without per-dimension values).
    public var klPerDimension: [[Double]]
    /// Each model measurement (`radius`) summed over examples.
    public var measurements: [Double]
    public var skippedSteps = 0
    public var gradientNormSum = 0.0
    public var steps = 0

    /// Zero sums for `terms` (per-dimension sums for KL terms with several columns) and `measurements` measurements.
    public init(terms: [(role: String, columns: Int)], measurements: Int) {
        self.terms = terms.map { _ in 0 }
        klPerDimension = terms.filter { $0.role == "kl" }.map { [Double](repeating: 0, count: $0.columns > 1 ? $0.columns : 0) }
        self.measurements = [Double](repeating: 0, count: measurements)
    }
}
