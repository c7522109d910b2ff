import Tensors

/// A `FixedFactorSampler` over a table of given codes and factors (N rows each): a batch with factor k fixed
/// at v is `count` distinct rows drawn uniformly, without replacement, among the rows whose factor k is v.
/// When the table holds every combination of factor values once (a full grid, as dSprites), those rows are
/// exactly "factor k = v, the others random". When the grid is incomplete, the batch draws among the rows
/// that have the value (`rowCount(factor:value:)` of them), and a value with fewer rows than the batch is
/// never fixed: `fixedValue` draws the value of a random row among the rows whose value has at least `count`
/// rows. Random codes are `count` distinct rows (all N when `count` ≥ N is asked, in a random order).
public struct FactorTableSampler: FixedFactorSampler, Sendable {
    public let factorNames: [String]
    public let codeDimensions: Int
    /// N, the rows.
    public let rowCount: Int
    let codes: [Double]
    /// groups[k][v]: the rows whose factor k is v.
    let groups: [[Int: [Int]]]
    let factors: GroundTruthFactors

    /// A sampler over the row-major N × D `codes` and the N examples' `factors`.
    public init(codes: [Double], codeDimensions: Int, factors: GroundTruthFactors) throws(EvaluationError) {
        guard codeDimensions >= 1, codes.count == factors.count * codeDimensions else {
            throw EvaluationError(metric: "factor table", "\(codes.count) code values for \(factors.count) rows of \(codeDimensions)")
        }
        factorNames = factors.names
        self.codeDimensions = codeDimensions
        rowCount = factors.count
        self.codes = codes
        self.factors = factors
        groups = (0..<factors.factorCount).map { k in Dictionary(grouping: 0..<factors.count) { factors.value(row: $0, factor: k) } }
    }

    /// The rows whose factor `factor` is `value`.
    public func rowCount(factor: Int, value: Int) -> Int { groups[factor][value]?.count ?? 0 }

    /// The values of factor `factor` that have at least `count` rows, increasing.
    public func values(factor: Int, atLeast count: Int) -> [Int] {
        groups[factor].filter { $0.value.count >= count }.keys.sorted()
    }

    public mutating func fixedValue(factor: Int, count: Int, generator: inout RandomGenerator) throws(EvaluationError) -> Int? {
        let eligible = values(factor: factor, atLeast: count)
        guard !eligible.isEmpty else { return nil }
        // The value of a random row among the eligible values' rows: weighted by each value's rows.
        let total = eligible.reduce(0) { $0 + groups[factor][$1]!.count }
        var position = generator.integer(below: total)
        for value in eligible {
            let size = groups[factor][value]!.count
            if position < size { return value }
            position -= size
        }
        return eligible.last
    }

    public mutating func codes(count: Int, factor: Int, value: Int, generator: inout RandomGenerator) throws(EvaluationError) -> [Double] {
        guard factor >= 0, factor < factorNames.count else {
            throw EvaluationError(metric: "factor table", "there is no factor \(factor); the table has \(factorNames.count)")
        }
        let rows = groups[factor][value] ?? []
        guard rows.count >= count else {
            throw EvaluationError(metric: "factor table", "\(rows.count) rows have \(factorNames[factor]) = \(value); a batch needs \(count)")
        }
        return gather(Self.distinct(count, of: rows.count, generator: &generator).map { rows[$0] })
    }

    public mutating func randomCodes(count: Int, generator: inout RandomGenerator) throws(EvaluationError) -> [Double] {
        gather(Self.distinct(min(count, rowCount), of: rowCount, generator: &generator))
    }

    /// `count` distinct positions in 0..<total, uniformly (a partial Fisher–Yates shuffle; for a small
    /// `count` out of many, rejection of repeats).
    static func distinct(_ count: Int, of total: Int, generator: inout RandomGenerator) -> [Int] {
        if count * 8 <= total {
            var chosen = Set<Int>(), result = [Int]()
            result.reserveCapacity(count)
            while result.count < count {
                let candidate = generator.integer(below: total)
                if chosen.insert(candidate).inserted { result.append(candidate) }
            }
            return result
        }
        var all = Array(0..<total)
        for i in 0..<count { all.swapAt(i, i + generator.integer(below: total - i)) }
        return Array(all[0..<count])
    }

    func gather(_ rows: [Int]) -> [Double] {
        var result = [Double]()
        result.reserveCapacity(rows.count * codeDimensions)
        for row in rows { result.append(contentsOf: codes[(row * codeDimensions)..<((row + 1) * codeDimensions)]) }
        return result
    }
}
