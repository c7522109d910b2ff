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
    /// Each quantity's value summed over the epoch's steps (its mean is what the epoch used).
    public var quantitySums: [Double] = []

    /// Zero sums for `terms` (per-dimension sums for KL terms with several columns) and `measurements` measurements.
    public init(terms: [(role: String, columns: Int)], measurements: Int, quantities: Int = 0) {
        self.terms = terms.map { _ in 0 }
        klPerDimension = terms.filter { $0.role == "kl" }.map { [Double](repeating: 0, count: $0.columns > 1 ? $0.columns : 0) }
        self.measurements = [Double](repeating: 0, count: measurements)
        quantitySums = [Double](repeating: 0, count: quantities)
    }

    enum CodingKeys: String, CodingKey {
        case examples, loss, terms, klPerDimension, measurements, skippedSteps, gradientNormSum, steps, quantitySums
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        examples = try container.decode(Int.self, forKey: .examples)
        loss = try container.decode(Double.self, forKey: .loss)
        terms = try container.decode([Double].self, forKey: .terms)
        klPerDimension = try container.decode([[Double]].self, forKey: .klPerDimension)
        measurements = try container.decodeIfPresent([Double].self, forKey: .measurements) ?? []
        skippedSteps = try container.decode(Int.self, forKey: .skippedSteps)
        gradientNormSum = try container.decode(Double.self, forKey: .gradientNormSum)
        steps = try container.decode(Int.self, forKey: .steps)
        quantitySums = try container.decodeIfPresent([Double].self, forKey: .quantitySums) ?? []
    }
}
