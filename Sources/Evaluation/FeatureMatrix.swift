import Tensors

/// A set of feature vectors (rows) in double precision, row-major. Every metric converts its inputs to this
/// first: `Float` features are widened, so sums, GEMM products and comparisons all run in `Double`.
struct FeatureMatrix: Sendable {
    let rows: Int
    let columns: Int
    var values: [Double]

    init(rows: Int, columns: Int, values: [Double]) {
        precondition(values.count == rows * columns, "\(values.count) values for a \(rows) × \(columns) matrix")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// The tensor's rows in double precision; a NaN or an infinity is an error naming `set`, row and column.
    init<Scalar: TensorScalar>(_ tensor: Tensor<Scalar>, set: String, metric: String) throws(EvaluationError) {
        let values: [Double]
        if let double = tensor as? Tensor<Double> {
            values = double.scalars
        } else if let float = tensor as? Tensor<Float> {
            values = float.withUnsafeBufferPointer { $0.map { Double($0) } }
        } else {
            values = tensor.withUnsafeBufferPointer { $0.map { Double($0) } }
        }
        if let index = values.firstIndex(where: { !$0.isFinite }) {
            let columns = max(1, tensor.columns)
            throw EvaluationError(metric: metric, "the \(set) set has a non-finite value (\(values[index])) at row \(index / columns), column \(index % columns)")
        }
        self.init(rows: tensor.rows, columns: tensor.columns, values: values)
    }

    /// The mean of each column (zeros for an empty matrix).
    func columnMeans() -> [Double] {
        var sums = [Double](repeating: 0, count: columns)
        guard rows > 0 else { return sums }
        values.withUnsafeBufferPointer { v in
            for row in 0..<rows {
                let base = row * columns
                for column in 0..<columns { sums[column] += v[base + column] }
            }
        }
        return sums.map { $0 / Double(rows) }
    }

    /// The matrix with `vector` subtracted from every row.
    func subtracting(rowVector vector: [Double]) -> FeatureMatrix {
        precondition(vector.count == columns)
        var result = values
        result.withUnsafeMutableBufferPointer { r in
            for row in 0..<rows {
                let base = row * columns
                for column in 0..<columns { r[base + column] -= vector[column] }
            }
        }
        return FeatureMatrix(rows: rows, columns: columns, values: result)
    }

    /// ‖row‖² for every row.
    func squaredNorms() -> [Double] {
        values.withUnsafeBufferPointer { v in
            (0..<rows).map { row in
                var sum = 0.0
                let base = row * columns
                for column in 0..<columns { sum += v[base + column] * v[base + column] }
                return sum
            }
        }
    }

    /// Each row divided by its Euclidean norm; a zero row stays zero (its cosine similarity to anything is 0,
    /// as scikit-learn's `normalize` and PyTorch's `cosine_similarity` treat it).
    func normalizedRows() -> FeatureMatrix {
        let norms = squaredNorms()
        var result = values
        result.withUnsafeMutableBufferPointer { r in
            for row in 0..<rows where norms[row] > 0 {
                let scale = 1 / norms[row].squareRoot()
                let base = row * columns
                for column in 0..<columns { r[base + column] *= scale }
            }
        }
        return FeatureMatrix(rows: rows, columns: columns, values: result)
    }

    /// The training and test codes of a metric that fits classifiers on codes against factors (DCI, SAP), checked:
    /// one row of factors per code, the same factors and code width in both, at least `minimumColumns` code
    /// dimensions, a test example, and factors a classifier can learn.
    static func classifierSplit<Scalar: TensorScalar>(trainCodes: Tensor<Scalar>, trainFactors: GroundTruthFactors, testCodes: Tensor<Scalar>,
                                                      testFactors: GroundTruthFactors, metric: String,
                                                      minimumColumns: Int = 1) throws(EvaluationError) -> (train: FeatureMatrix, test: FeatureMatrix) {
        let train = try FeatureMatrix(trainCodes, set: "training codes", metric: metric)
        let test = try FeatureMatrix(testCodes, set: "test codes", metric: metric)
        guard train.rows == trainFactors.count, test.rows == testFactors.count, trainFactors.names == testFactors.names else {
            throw EvaluationError(metric: metric, "\(train.rows) training codes for \(trainFactors.count) rows of factors, \(test.rows) test codes for \(testFactors.count)")
        }
        try train.requireSameWidth(as: test, metric: metric, names: ("training", "test"))
        guard train.columns >= minimumColumns else {
            throw EvaluationError(metric: metric, "the score needs at least \(minimumColumns) code dimensions, the codes have \(train.columns)")
        }
        guard test.rows >= 1 else { throw EvaluationError(metric: metric, "no test examples") }
        try trainFactors.requireClassifiable(metric: metric)
        return (train, test)
    }

    /// Checks that `other` has as many columns as this matrix.
    func requireSameWidth(as other: FeatureMatrix, metric: String, names: (String, String) = ("real", "generated")) throws(EvaluationError) {
        guard columns == other.columns else {
            throw EvaluationError(metric: metric, "the \(names.0) set has \(columns) features per row but the \(names.1) set has \(other.columns)")
        }
    }
}
