import Tensors

/// The sample sizes of the disentanglement metrics, disentanglement_lib's defaults unless changed (the
/// unsupervised_study_v1 metric configs): 10,000 training and 5,000 test examples for MIG, DCI, SAP and the
/// unsupervised scores; batches of 64; 10,000 training and 5,000 evaluation batches (votes, points) for the
/// FactorVAE and β-VAE scores; 10,000 examples for FactorVAE's global variances.
public struct DisentanglementSampleSizes: Sendable, Equatable {
    public var trainCount = 10_000
    public var testCount = 5_000
    public var batchSize = 64
    public var trainBatches = 10_000
    public var evalBatches = 5_000
    public var varianceEstimateCount = 10_000

    public init() {}

    /// The fewest rows a table needs for a train/test split (7 to train, 3 to test).
    public static let minimumSplitRows = 10

    /// At most `trainCount` of a table's `rows`, drawn without replacement; all of them (in a random order)
    /// when the table has no more, with a note saying so.
    public func sample(rows: Int, generator: inout RandomGenerator) -> (rows: [Int], note: String?) {
        let permutation = generator.permutation(rows)
        if rows >= trainCount { return (Array(permutation[0..<trainCount]), nil) }
        return (permutation, "the table has \(rows) rows, fewer than the definition's \(trainCount): all \(rows) are used")
    }

    /// Disjoint training and test rows of a table: `trainCount` and `testCount` when it has that many rows;
    /// otherwise all rows split 2 : 1 (train ⌈2N/3⌉, test the rest), with a note saying so. Nil when the table
    /// has fewer than `minimumSplitRows` rows.
    public func split(rows: Int, generator: inout RandomGenerator) -> (train: [Int], test: [Int], note: String?)? {
        guard rows >= Self.minimumSplitRows else { return nil }
        let permutation = generator.permutation(rows)
        if rows >= trainCount + testCount {
            return (Array(permutation[0..<trainCount]), Array(permutation[trainCount..<(trainCount + testCount)]), nil)
        }
        let train = (2 * rows + 2) / 3
        return (Array(permutation[0..<train]), Array(permutation[train...]),
                "the table has \(rows) rows, fewer than the definition's \(trainCount) + \(testCount): \(train) train and \(rows - train) test (disjoint, 2 : 1)")
    }
}
