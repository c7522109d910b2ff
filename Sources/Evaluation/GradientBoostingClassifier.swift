import Foundation

/// Gradient-boosted regression trees for classification, to the definition of scikit-learn's
/// `GradientBoostingClassifier()` with its defaults (Friedman 2001, "Greedy function approximation"; the
/// estimator disentanglement_lib's DCI fits per factor):
///
/// - loss: log-loss. Two classes: binomial, one raw score F, p = σ(F). More: multinomial, one score F_k per
///   class, p = softmax(F), one tree per class per stage.
/// - initial scores: the class log-priors (binomial: log(p₁ / (1 − p₁)); multinomial: log p_k − mean_k log p_k,
///   the symmetric link, priors clipped to [2⁻⁵², 1 − 2⁻⁵²]).
/// - 100 stages, learning rate 0.1, subsample 1.0: each stage computes the residuals r_ik = y_ik − p_ik at the
///   stage's start and fits a regression tree per class on them (`RegressionTreeGrower`: friedman_mse split
///   criterion, depth 3, min_samples_split 2, min_samples_leaf 1, exact splits).
/// - leaf values, the single Newton step scikit-learn takes: Σ r / Σ p(1 − p) over the leaf's examples,
///   times (K − 1)/K for the multinomial loss; 0 when the denominator is below 10⁻¹⁵⁰.
///   F_k += 0.1 · leaf value.
/// - prediction: the class of the largest score (binomial: class 1 when F ≥ 0).
/// - `featureImportances`: for every tree with at least one split, each feature's total decrease of
///   n·(node variance) over its splits divided by the examples; averaged over those trees and normalised to
///   sum 1 (all 0 when no tree split).
///
/// Features are rounded to single precision first, as scikit-learn's trees do. Differences from scikit-learn:
/// it visits features in a random order (`random_state=None` in disentanglement_lib), which decides between
/// splits of exactly equal improvement; this visits them in index order.
public struct GradientBoostingClassifier: Sendable {
    public struct Parameters: Sendable, Equatable {
        public var stages = 100
        public var learningRate = 0.1
        public var maximumDepth = 3
        public var minimumSplitSize = 2
        public init() {}
    }

    /// The distinct labels seen in training, increasing; predictions are among them.
    public let classes: [Int]
    /// Normalised importance of each feature (sums to 1, or all 0 when no tree split).
    public let featureImportances: [Double]
    public let parameters: Parameters
    /// The predicted class of each training row (from the scores fitted alongside the trees).
    public let trainingPredictions: [Int]
    let columns: Int
    let initialScores: [Double]
    /// trees[stage][k]: one tree per class per stage (one per stage for two classes).
    let trees: [[RegressionTree]]

    /// Fits `labels` (one per row, any whole numbers, at least two distinct) from the row-major
    /// `rows` × `columns` `features` (finite).
    public init(features: [Double], rows: Int, columns: Int, labels: [Int], parameters: Parameters = Parameters()) throws(EvaluationError) {
        let metric = "gradient boosting"
        guard rows >= 2, columns >= 1, features.count == rows * columns, labels.count == rows else {
            throw EvaluationError(metric: metric, "needs at least 2 rows and 1 feature, with one label per row (got \(rows) × \(columns), \(features.count) values, \(labels.count) labels)")
        }
        guard features.allSatisfy(\.isFinite) else { throw EvaluationError(metric: metric, "a feature is not finite") }
        let classes = Array(Set(labels)).sorted()
        guard classes.count >= 2 else {
            throw EvaluationError(metric: metric, "the training labels have one value (\(classes.first.map(String.init) ?? "none")); a classifier needs at least 2")
        }
        let classIndex = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let encoded = labels.map { classIndex[$0]! }
        let k = classes.count
        let scoreCount = k == 2 ? 1 : k
        var priors = [Double](repeating: 0, count: k)
        for label in encoded { priors[label] += 1 }
        let epsilon = Double.ulpOfOne
        priors = priors.map { min(max($0 / Double(rows), epsilon), 1 - epsilon) }
        let initial: [Double]
        if k == 2 {
            initial = [Foundation.log(priors[1] / (1 - priors[1]))]
        } else {
            let logs = priors.map { Foundation.log($0) }
            let mean = logs.reduce(0, +) / Double(k)
            initial = logs.map { $0 - mean }
        }
        let grower = RegressionTreeGrower(rowMajor: features, rows: rows, columns: columns,
                                          maximumDepth: parameters.maximumDepth, minimumSplitSize: parameters.minimumSplitSize)
        var scores = [Double](repeating: 0, count: rows * scoreCount)
        for i in 0..<rows { for s in 0..<scoreCount { scores[i * scoreCount + s] = initial[s] } }
        var probabilities = [Double](repeating: 0, count: rows * scoreCount)
        var residuals = [Double](repeating: 0, count: rows)
        var leafOfRow = [Int](repeating: 0, count: rows)
        var stages = [[RegressionTree]]()
        stages.reserveCapacity(parameters.stages)
        let newtonFactor = k == 2 ? 1 : Double(k - 1) / Double(k)
        for _ in 0..<parameters.stages {
            Self.probabilities(scores, rows: rows, scoreCount: scoreCount, into: &probabilities)
            var stage = [RegressionTree]()
            for s in 0..<scoreCount {
                let positive = k == 2 ? 1 : s
                for i in 0..<rows { residuals[i] = (encoded[i] == positive ? 1 : 0) - probabilities[i * scoreCount + s] }
                var tree = grower.grow(residuals: residuals, leafOfRow: &leafOfRow)
                var numerator = [Double](repeating: 0, count: tree.nodeCount)
                var denominator = [Double](repeating: 0, count: tree.nodeCount)
                for i in 0..<rows {
                    let p = probabilities[i * scoreCount + s]
                    numerator[leafOfRow[i]] += residuals[i]
                    denominator[leafOfRow[i]] += p * (1 - p)
                }
                for node in 0..<tree.nodeCount where tree.feature[node] < 0 {
                    tree.value[node] = abs(denominator[node]) < 1e-150 ? 0 : newtonFactor * numerator[node] / denominator[node]
                }
                for i in 0..<rows { scores[i * scoreCount + s] += parameters.learningRate * tree.value[leafOfRow[i]] }
                stage.append(tree)
            }
            stages.append(stage)
        }
        trainingPredictions = Self.classes(of: scores, rows: rows, scoreCount: scoreCount).map { classes[$0] }
        var importances = [Double](repeating: 0, count: columns)
        var splitting = 0
        for stage in stages { for tree in stage where tree.nodeCount > 1 {
            splitting += 1
            for f in 0..<columns { importances[f] += tree.importances[f] }
        } }
        if splitting > 0 {
            importances = importances.map { $0 / Double(splitting) }
            let total = importances.reduce(0, +)
            importances = total > 0 ? importances.map { $0 / total } : importances
        }
        self.classes = classes
        featureImportances = importances
        self.parameters = parameters
        self.columns = columns
        initialScores = initial
        trees = stages
    }

    /// p = σ(F) (binomial) or softmax(F) (multinomial), row by row.
    static func probabilities(_ scores: [Double], rows: Int, scoreCount: Int, into result: inout [Double]) {
        if scoreCount == 1 {
            for i in 0..<rows { result[i] = 1 / (1 + Foundation.exp(-scores[i])) }
            return
        }
        for i in 0..<rows {
            let base = i * scoreCount
            var largest = -Double.infinity
            for s in 0..<scoreCount { largest = max(largest, scores[base + s]) }
            var total = 0.0
            for s in 0..<scoreCount {
                let e = Foundation.exp(scores[base + s] - largest)
                result[base + s] = e
                total += e
            }
            for s in 0..<scoreCount { result[base + s] /= total }
        }
    }

    /// The raw scores F (rows × 1 for two classes, rows × K otherwise) of row-major `features`.
    public func decisionFunction(features: [Double], rows: Int) -> [Double] {
        precondition(features.count == rows * columns, "\(features.count) values for \(rows) rows of \(columns) features")
        let scoreCount = initialScores.count
        let single = features.map { Float($0) }
        var scores = [Double](repeating: 0, count: rows * scoreCount)
        single.withUnsafeBufferPointer { x in
            for i in 0..<rows {
                let row = UnsafeBufferPointer(rebasing: x[(i * columns)..<((i + 1) * columns)])
                for s in 0..<scoreCount { scores[i * scoreCount + s] = initialScores[s] }
                for stage in trees {
                    for s in 0..<scoreCount {
                        let tree = stage[s]
                        scores[i * scoreCount + s] += parameters.learningRate * tree.value[tree.leaf(row)]
                    }
                }
            }
        }
        return scores
    }

    /// The predicted class of each row of row-major `features`.
    public func predict(features: [Double], rows: Int) -> [Int] {
        Self.classes(of: decisionFunction(features: features, rows: rows), rows: rows, scoreCount: initialScores.count).map { classes[$0] }
    }

    /// The index of each row's predicted class: F ≥ 0 → 1 for one score, else the first largest score.
    static func classes(of scores: [Double], rows: Int, scoreCount: Int) -> [Int] {
        (0..<rows).map { i in
            if scoreCount == 1 { return scores[i] >= 0 ? 1 : 0 }
            var best = 0
            for s in 1..<scoreCount where scores[i * scoreCount + s] > scores[i * scoreCount + best] { best = s }
            return best
        }
    }

    /// The share of rows whose predicted class is their label.
    public func accuracy(features: [Double], rows: Int, labels: [Int]) -> Double {
        precondition(labels.count == rows)
        guard rows > 0 else { return 0 }
        let predicted = predict(features: features, rows: rows)
        return Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(rows)
    }
}
