import Foundation
import Tensors

/// Disentanglement, completeness and informativeness (Eastwood & Williams 2018, "A framework for the
/// quantitative evaluation of disentangled representations"), as disentanglement_lib computes them (`dci.py`):
/// one `GradientBoostingClassifier` (scikit-learn's defaults) per factor, predicting the factor from all D
/// codes on the training examples; R[j, k] = |importance of code j for factor k|. Then
///
///     D = Σ_j ρ_j (1 − H_K(P_j·)),  P_jk = R_jk / Σ_k' R_jk',  ρ_j = Σ_k R_jk / Σ R
///     C = Σ_k ρ_k (1 − H_D(P̃_·k)), P̃_jk = R_jk / Σ_j' R_j'k,  ρ_k = Σ_j R_jk / Σ R
///
/// entropies in base K (factors) and D (codes) after adding 10⁻¹¹ to every entry; an all-zero R weighs the
/// codes (factors) equally. Informativeness: the classifiers' mean accuracy on the test examples (dlib
/// reports accuracy, not error; the training accuracy too). D is not defined for one factor (base-1 entropy)
/// and C not for one code. The factors' classifiers run in parallel on `WorkerPool`'s threads (`--threads`).
public struct DisentanglementCompletenessInformativeness: DisentanglementResult {
    /// R, [code j][factor k].
    public let importance: [[Double]]
    public let disentanglement: Double?
    public let completeness: Double?
    /// Mean test accuracy over the factors.
    public let informativeness: Double
    public let trainAccuracy: Double
    public let testAccuracyPerFactor: [Double]
    public let factorNames: [String]
    public let trainCount: Int
    public let testCount: Int
    public var seed: UInt64?
    public var notes: [String] = []

    /// DCI from codes and factors of training and test examples (codes N × D, D ≥ 1; each factor with at
    /// least two values among the training examples).
    public init<Scalar: TensorScalar>(trainCodes: Tensor<Scalar>, trainFactors: GroundTruthFactors,
                                      testCodes: Tensor<Scalar>, testFactors: GroundTruthFactors) throws(EvaluationError) {
        let metric = "DCI"
        let (train, test) = try FeatureMatrix.classifierSplit(trainCodes: trainCodes, trainFactors: trainFactors, testCodes: testCodes,
                                                              testFactors: testFactors, metric: metric)
        // One classifier per factor, independent: in parallel on the worker pool's threads (`WorkerPool`), each
        // writing only its own slot, so the numbers do not depend on the thread count.
        let k = trainFactors.factorCount
        var outcomes = [Result<(importances: [Double], train: Double, test: Double), EvaluationError>?](repeating: nil, count: k)
        outcomes.withUnsafeMutableBufferPointer { slots in
            WorkerPool.run(parts: k) { factor in
                let labels = trainFactors.column(factor)
                do throws(EvaluationError) {
                    let model = try GradientBoostingClassifier(features: train.values, rows: train.rows, columns: train.columns, labels: labels)
                    let trainAccuracy = Double(zip(model.trainingPredictions, labels).filter { $0 == $1 }.count) / Double(train.rows)
                    let testAccuracy = model.accuracy(features: test.values, rows: test.rows, labels: testFactors.column(factor))
                    slots[factor] = .success((model.featureImportances.map(abs), trainAccuracy, testAccuracy))
                } catch {
                    slots[factor] = .failure(EvaluationError(metric: metric, "factor \(trainFactors.names[factor]): \(error.message)"))
                }
            }
        }
        var importance = [[Double]](repeating: [Double](repeating: 0, count: k), count: train.columns)
        var trainAccuracies = [Double](), testAccuracies = [Double]()
        for factor in 0..<k {
            let outcome = try outcomes[factor]!.get()
            for j in 0..<train.columns { importance[j][factor] = outcome.importances[j] }
            trainAccuracies.append(outcome.train)
            testAccuracies.append(outcome.test)
        }
        self.importance = importance
        disentanglement = Self.disentanglement(importance: importance)
        completeness = Self.completeness(importance: importance)
        informativeness = testAccuracies.reduce(0, +) / Double(testAccuracies.count)
        trainAccuracy = trainAccuracies.reduce(0, +) / Double(trainAccuracies.count)
        testAccuracyPerFactor = testAccuracies
        factorNames = trainFactors.names
        trainCount = train.rows
        testCount = test.rows
        if disentanglement == nil { notes.append("disentanglement is not defined for one factor (its entropy would be in base 1)") }
        if completeness == nil { notes.append("completeness is not defined for one code dimension (its entropy would be in base 1)") }
    }

    /// D from an importance matrix R ([code][factor]); nil with fewer than two factors.
    public static func disentanglement(importance: [[Double]]) -> Double? {
        let codes = importance.count, factors = importance.first?.count ?? 0
        guard codes >= 1, factors >= 2 else { return nil }
        var weights = importance
        if importance.allSatisfy({ $0.allSatisfy { $0 == 0 } }) { weights = importance.map { $0.map { _ in 1 } } }
        let total = weights.reduce(0) { $0 + $1.reduce(0, +) }
        var score = 0.0
        for j in 0..<codes {
            let perCode = 1 - DiscreteCodes.entropy(weights: importance[j].map { $0 + 1e-11 }, base: factors)
            score += perCode * weights[j].reduce(0, +) / total
        }
        return score
    }

    /// C from an importance matrix R ([code][factor]); nil with fewer than two codes.
    public static func completeness(importance: [[Double]]) -> Double? {
        let codes = importance.count, factors = importance.first?.count ?? 0
        guard codes >= 2, factors >= 1 else { return nil }
        return disentanglement(importance: (0..<factors).map { k in importance.map { $0[k] } })
    }

    public var name: String { "DCI" }
    public var key: String { "dci" }
    public var definition: String {
        "DCI (Eastwood & Williams 2018; disentanglement_lib dci.py): gradient-boosted trees per factor (scikit-learn GradientBoostingClassifier defaults: 100 stages, depth 3, learning rate 0.1), importance-weighted 1 − entropy; informativeness = mean test accuracy"
    }
    public var figures: [(key: String, label: String, value: Double?)] {
        [("disentanglement", "disentanglement", disentanglement), ("completeness", "completeness", completeness),
         ("informativeness", "informativeness (test accuracy)", informativeness), ("train_accuracy", "train accuracy", trainAccuracy)]
            + zip(factorNames, testAccuracyPerFactor).map { ("test_accuracy_\($0.0)", "  test accuracy \($0.0)", Optional($0.1)) }
    }
    public var sampleSizes: [(key: String, count: Int)] { [("train", trainCount), ("test", testCount)] }
}
