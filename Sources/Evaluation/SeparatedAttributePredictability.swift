import Tensors

/// The SAP score (Kumar et al. 2018, "Variational inference of disentangled latent concepts from unlabeled
/// observations"), as disentanglement_lib computes it for discrete factors (`sap_score.py`): for each code j
/// and factor k, a `LinearSupportVectorClassifier` (scikit-learn's `LinearSVC(C=0.01, class_weight="balanced")`)
/// predicts factor k from code j alone on the training examples; S[j, k] is its test accuracy, and
///
///     SAP = (1/K) Σ_k (largest − second-largest of S[·, k])
///
/// Needs at least two code dimensions; each factor with at least two values among the training examples.
public struct SeparatedAttributePredictability: DisentanglementResult {
    public let score: Double
    /// S, [code j][factor k].
    public let accuracies: [[Double]]
    public let factorNames: [String]
    public let trainCount: Int
    public let testCount: Int
    public var seed: UInt64?
    public var notes: [String] = []

    public init<Scalar: TensorScalar>(trainCodes: Tensor<Scalar>, trainFactors: GroundTruthFactors,
                                      testCodes: Tensor<Scalar>, testFactors: GroundTruthFactors) throws(EvaluationError) {
        let metric = "SAP"
        let (train, test) = try FeatureMatrix.classifierSplit(trainCodes: trainCodes, trainFactors: trainFactors, testCodes: testCodes,
                                                              testFactors: testFactors, metric: metric, minimumColumns: 2)
        var accuracies = [[Double]](repeating: [Double](repeating: 0, count: trainFactors.factorCount), count: train.columns)
        for k in 0..<trainFactors.factorCount {
            let labels = trainFactors.column(k), testLabels = testFactors.column(k)
            for j in 0..<train.columns {
                let values = (0..<train.rows).map { train.values[$0 * train.columns + j] }
                let testValues = (0..<test.rows).map { test.values[$0 * test.columns + j] }
                let model: LinearSupportVectorClassifier
                do { model = try LinearSupportVectorClassifier(values: values, labels: labels) } catch {
                    throw EvaluationError(metric: metric, "factor \(trainFactors.names[k]): \(error.message)")
                }
                accuracies[j][k] = model.accuracy(values: testValues, labels: testLabels)
            }
        }
        self.accuracies = accuracies
        var total = 0.0
        for k in 0..<trainFactors.factorCount {
            let sorted = accuracies.map { $0[k] }.sorted(by: >)
            total += sorted[0] - sorted[1]
        }
        score = total / Double(trainFactors.factorCount)
        factorNames = trainFactors.names
        trainCount = train.rows
        testCount = test.rows
    }

    public var name: String { "SAP" }
    public var key: String { "sap" }
    public var definition: String {
        "SAP score (Kumar et al. 2018; disentanglement_lib sap_score.py, discrete factors): test accuracy of a linear SVC (C = 0.01, balanced class weights, squared hinge) per code and factor; mean over factors of the top-two gap"
    }
    public var figures: [(key: String, label: String, value: Double?)] { [("score", "SAP", score)] }
    public var sampleSizes: [(key: String, count: Int)] { [("train", trainCount), ("test", testCount)] }
}
