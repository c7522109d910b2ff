/// The known generative factors of N examples: K named factors, each example's value of each a whole number
/// ≥ 0 (the index of the factor's value), row-major N × K. The disentanglement metrics score codes against them.
public struct GroundTruthFactors: Sendable, Equatable {
    public let names: [String]
    /// N, the examples.
    public let count: Int
    /// Row-major N × K values.
    public let values: [Int]

    /// Factors from row-major `values` (`count` rows of `names.count`); a negative value is an error naming
    /// its row and factor.
    public init(names: [String], count: Int, values: [Int]) throws(EvaluationError) {
        let metric = "factors"
        guard !names.isEmpty else { throw EvaluationError(metric: metric, "no factors") }
        guard count >= 0, values.count == count * names.count else {
            throw EvaluationError(metric: metric, "\(values.count) values for \(count) examples of \(names.count) factors")
        }
        if let bad = values.firstIndex(where: { $0 < 0 }) {
            throw EvaluationError(metric: metric, "example \(bad / names.count), factor \(names[bad % names.count]) is \(values[bad]); factor values must be whole numbers ≥ 0")
        }
        self.names = names
        self.count = count
        self.values = values
    }

    /// K.
    public var factorCount: Int { names.count }

    public func value(row: Int, factor: Int) -> Int { values[row * names.count + factor] }

    /// Factor `factor`'s value for every example.
    public func column(_ factor: Int) -> [Int] { (0..<count).map { values[$0 * names.count + factor] } }

    /// The examples `rows`, in that order.
    public func subset(rows: [Int]) -> GroundTruthFactors {
        let k = names.count
        var picked = [Int]()
        picked.reserveCapacity(rows.count * k)
        for row in rows { picked.append(contentsOf: values[(row * k)..<((row + 1) * k)]) }
        return GroundTruthFactors(checked: names, count: rows.count, values: picked)
    }

    /// The factors `factors` only, in that order.
    public func selecting(factors: [Int]) -> GroundTruthFactors {
        var picked = [Int]()
        picked.reserveCapacity(count * factors.count)
        for row in 0..<count { for f in factors { picked.append(values[row * names.count + f]) } }
        return GroundTruthFactors(checked: factors.map { names[$0] }, count: count, values: picked)
    }

    /// The most values a factor may take in the classifier-based metrics (DCI fits one tree per value per stage,
    /// SAP one problem per value per code): more is refused before anything is fitted or allocated.
    public static let maximumClassifierValues = 256

    /// An error naming the first factor with more than `maximumClassifierValues` distinct values, if any.
    func requireClassifiable(metric: String) throws(EvaluationError) {
        for (factor, count) in distinctValueCounts.enumerated() where count > Self.maximumClassifierValues {
            throw EvaluationError(metric: metric, "factor \(names[factor]) takes \(count) values in the training examples; a classifier per factor handles at most \(Self.maximumClassifierValues) (factor values are indices of a factor's levels, not measurements)")
        }
    }

    /// How many distinct values each factor takes.
    public var distinctValueCounts: [Int] { (0..<factorCount).map { Set(column($0)).count } }

    init(checked names: [String], count: Int, values: [Int]) {
        self.names = names
        self.count = count
        self.values = values
    }
}
