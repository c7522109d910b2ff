/// Per-feature standardisation (`data.standardize: true`): x′_j = (x_j − μ_j) / σ_j, where μ_j and σ_j are the
/// mean and the population standard deviation (divisor N, as scikit-learn's `StandardScaler`) of feature j over
/// the **training examples only**, so nothing about the validation or test examples leaks into training. A
/// feature that is constant over the training examples keeps σ_j = 1 (it is only centred), as `StandardScaler`
/// does; unlike `StandardScaler`, σ_j is raised to at least a tenth of the feature's largest deviation from its
/// mean, `σ_j ≥ max_i |x_ij − μ_j| / 10`, so no standardised training value lies beyond ±10: a nearly constant
/// feature (a pixel lit in a few images) is not blown up into values of hundreds, while ordinary features, whose
/// extremes lie a few σ from the mean (wine's lie within 5), keep their own σ.
///
/// The statistics are fitted once, when a run starts, and saved in every checkpoint (`tensorEntries`), so that
/// evaluation, other data and sampling use exactly the training run's; samples are written back in the data's
/// units with `undo`.
public struct FeatureStandardization: Equatable, Sendable {
    public let mean: [Float]
    public let standardDeviation: [Float]

    /// Checkpoint tensor names.
    public static let meanTensorName = "data.standardize.mean"
    public static let standardDeviationTensorName = "data.standardize.standard_deviation"

    public init(mean: [Float], standardDeviation: [Float]) {
        precondition(mean.count == standardDeviation.count, "one mean and one standard deviation per feature")
        self.mean = mean
        self.standardDeviation = standardDeviation
    }

    /// Fits μ and σ to rows `rows` of `dataset` (two passes in double precision: the mean, then the mean squared
    /// deviation, which avoids the cancellation of E[x²] − E[x]²).
    public init(fitting dataset: Dataset, rows: [Int]) {
        let width = dataset.featureCount
        var sums = [Double](repeating: 0, count: width)
        dataset.storage.forEachBlock(of: rows) { values, count in
            for row in 0..<count {
                for j in 0..<width { sums[j] += Double(values[row * width + j]) }
            }
            return true
        }
        let count = Double(max(1, rows.count))
        let means = sums.map { $0 / count }
        var squares = [Double](repeating: 0, count: width)
        var largestDeviations = [Double](repeating: 0, count: width)
        dataset.storage.forEachBlock(of: rows) { values, count in
            for row in 0..<count {
                for j in 0..<width {
                    let deviation = Double(values[row * width + j]) - means[j]
                    squares[j] += deviation * deviation
                    largestDeviations[j] = max(largestDeviations[j], abs(deviation))
                }
            }
            return true
        }
        mean = means.map(Float.init)
        var floored = 0
        var largestRatio = 0.0
        standardDeviation = (0..<width).map { j in
            let deviation = (squares[j] / count).squareRoot()
            guard deviation > 0 && Float(deviation) > 0 else { return 1 }
            let floor = largestDeviations[j] / Self.largestStandardizedValue
            if deviation < floor {
                floored += 1
                largestRatio = max(largestRatio, largestDeviations[j] / deviation)
                return Float(floor)
            }
            return Float(deviation)
        }
        flooredFeatures = floored
        largestUnflooredValue = largestRatio
    }

    /// No standardised training value lies further than this from 0: σ_j ≥ max_i |x_ij − μ_j| / 10.
    public static let largestStandardizedValue = 10.0
    /// Features whose σ_j was raised to a tenth of their largest deviation when fitted (0 for statistics read
    /// from a checkpoint).
    public private(set) var flooredFeatures = 0
    /// The largest |x_ij − μ_j| / σ_j among the floored features before flooring: how far the most extreme
    /// value would have been standardised without the floor.
    public private(set) var largestUnflooredValue = 0.0

    /// The same statistics (how they were fitted does not matter).
    public static func == (lhs: FeatureStandardization, rhs: FeatureStandardization) -> Bool {
        lhs.mean == rhs.mean && lhs.standardDeviation == rhs.standardDeviation
    }

    /// Features whose standard deviation over the training examples was 0 (kept at σ = 1).
    public func constantFeatures(in dataset: Dataset, rows: [Int]) -> Int {
        let width = dataset.featureCount
        guard let first = rows.first else { return 0 }
        var firstRow = [Float](repeating: 0, count: width)
        firstRow.withUnsafeMutableBufferPointer { dataset.storage.copyRow(first, into: $0.baseAddress!) }
        var constant = [Bool](repeating: true, count: width)
        dataset.storage.forEachBlock(of: rows) { values, count in
            for row in 0..<count {
                for j in 0..<width where constant[j] && values[row * width + j] != firstRow[j] { constant[j] = false }
            }
            return true
        }
        return constant.filter { $0 }.count
    }

    /// `dataset` with every example standardised; its feature count must match.
    public func applied(to dataset: Dataset) throws(DataError) -> Dataset {
        let width = dataset.featureCount
        guard width == mean.count else {
            throw DataError("\(dataset.name) has \(width) features, but the run standardised \(mean.count) (data.standardize)")
        }
        // Standardised as batches are copied: a mapped file is never converted whole.
        var result = dataset.replacingFeatures(StandardizedRows(base: dataset.storage, standardization: self))
        result.standardization = self
        return result
    }

    /// Rows of values in the data's units standardised in place: x′_j = (x_j − μ_j)/σ_j.
    public func apply(_ values: inout [Float]) {
        let width = mean.count
        precondition(values.count % width == 0, "rows of \(width) features")
        values.withUnsafeMutableBufferPointer { buffer in
            for index in buffer.indices {
                let j = index % width
                buffer[index] = (buffer[index] - mean[j]) / standardDeviation[j]
            }
        }
    }

    /// Rows of standardised values back in the data's units: x_j = x′_j·σ_j + μ_j.
    public func undo(_ values: inout [Float]) {
        let width = mean.count
        precondition(values.count % width == 0, "rows of \(width) features")
        for index in values.indices {
            let j = index % width
            values[index] = values[index] * standardDeviation[j] + mean[j]
        }
    }

    /// The statistics as named tensors, for checkpoints and exports.
    public var tensorEntries: [(name: String, values: [Float])] {
        [(Self.meanTensorName, mean), (Self.standardDeviationTensorName, standardDeviation)]
    }

    /// The statistics saved in `tensors` (by `tensorEntries`), or nil when they are absent or do not pair up.
    public init?(tensors: [String: [Float]]) {
        guard let mean = tensors[Self.meanTensorName], let deviation = tensors[Self.standardDeviationTensorName],
              mean.count == deviation.count, !mean.isEmpty else { return nil }
        self.init(mean: mean, standardDeviation: deviation)
    }
}
