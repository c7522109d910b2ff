import Tensors

/// A deterministic split of example indices into training and validation sets, fixed by the seed.
public struct DataSplit: Equatable, Sendable {
    public let training: [Int]
    public let validation: [Int]

    /// `round(count·validationFraction)` examples go to validation, chosen by a permutation from a generator
    /// derived from `seed` (separate from the training generator, so the split never shifts training's draws).
    public init(count: Int, validationFraction: Double, seed: UInt64) throws(DataError) {
        guard validationFraction >= 0 && validationFraction < 1 else {
            throw DataError("validation_fraction must be in [0, 1), got \(validationFraction)")
        }
        let validationCount = Int((Double(count) * validationFraction).rounded())
        guard count - validationCount >= 1 else {
            throw DataError("validation_fraction \(validationFraction) of \(count) examples leaves nothing to train on")
        }
        var generator = RandomGenerator(seed: seed ^ 0x5EED_5EED_5EED_5EED)
        let permutation = generator.permutation(count)
        validation = permutation[0..<validationCount].sorted()
        training = permutation[validationCount...].sorted()
    }

    /// A split given by its two sides (a separate validation file's rows).
    public init(training: [Int], validation: [Int]) {
        self.training = training
        self.validation = validation
    }

    /// The split of a subset whose example `i` is example `rows[i]` of the data this split divides: each
    /// example stays on its side, so the subsets of a split data set (one per generator) together hold
    /// exactly its training and its validation examples.
    public func restricted(to rows: [Int]) throws(DataError) -> DataSplit {
        let held = Set(validation)
        let restricted = DataSplit(training: rows.indices.filter { !held.contains(rows[$0]) }, validation: rows.indices.filter { held.contains(rows[$0]) })
        guard !restricted.training.isEmpty else {
            throw DataError("all \(rows.count) examples of this subset fall in the validation split; it leaves nothing to train on")
        }
        return restricted
    }
}
