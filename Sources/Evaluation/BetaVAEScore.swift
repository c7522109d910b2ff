import Tensors

/// The β-VAE score (Higgins et al. 2017, "β-VAE: learning basic visual concepts with a constrained
/// variational framework"), as disentanglement_lib computes it (`beta_vae.py`, batch 64, 10,000 training and
/// 5,000 evaluation points): each point picks a factor k uniformly; for each of 64 pairs, a value of k (a
/// random example's) and two examples sharing it; the point's feature is the mean over the pairs of
/// |z₁ − z₂| per code, its label k. A `LogisticRegressionClassifier` (scikit-learn's `LogisticRegression()`
/// defaults) is fitted on the training points; the score is its accuracy on the evaluation points (the
/// training accuracy is reported too). Known to saturate near 1 for many models.
public struct BetaVAEScore: DisentanglementResult {
    public let trainAccuracy: Double
    public let evalAccuracy: Double
    public let factorNames: [String]
    public let sizes: DisentanglementSampleSizes
    public var seed: UInt64?
    public var notes: [String] = []

    public init(sampler: inout some FixedFactorSampler, sizes: DisentanglementSampleSizes = DisentanglementSampleSizes(), seed: UInt64 = 0) throws(EvaluationError) {
        let metric = "β-VAE score"
        guard sizes.batchSize >= 1, sizes.trainBatches >= 2, sizes.evalBatches >= 1 else {
            throw EvaluationError(metric: metric, "needs batches of at least 1 pair, 2 training points and 1 evaluation point")
        }
        var generator = RandomGenerator(seed: seed)
        let d = sampler.codeDimensions
        var notes = [String]()
        var usable = [Int]()
        for factor in 0..<sampler.factorNames.count {
            var probe = generator
            if try sampler.fixedValue(factor: factor, count: 2, generator: &probe) != nil { usable.append(factor) }
            else { notes.append("factor \(sampler.factorNames[factor]) left out: no value has 2 examples to make a pair") }
        }
        guard usable.count >= 2 else {
            throw EvaluationError(metric: metric, "the classifier needs at least 2 factors with a value shared by 2 examples; \(usable.count) have one")
        }
        func points(_ count: Int) throws(EvaluationError) -> (features: [Double], labels: [Int]) {
            var features = [Double](), labels = [Int]()
            features.reserveCapacity(count * d)
            for _ in 0..<count {
                let factor = usable[generator.integer(below: usable.count)]
                var feature = [Double](repeating: 0, count: d)
                for _ in 0..<sizes.batchSize {
                    guard let value = try sampler.fixedValue(factor: factor, count: 2, generator: &generator) else {
                        throw EvaluationError(metric: metric, "factor \(sampler.factorNames[factor]) has no value with 2 examples")
                    }
                    let pair = try sampler.codes(count: 2, factor: factor, value: value, generator: &generator)
                    for j in 0..<d { feature[j] += abs(pair[j] - pair[d + j]) }
                }
                features.append(contentsOf: feature.map { $0 / Double(sizes.batchSize) })
                labels.append(factor)
            }
            return (features, labels)
        }
        let training = try points(sizes.trainBatches)
        let evaluation = try points(sizes.evalBatches)
        let model: LogisticRegressionClassifier
        do {
            model = try LogisticRegressionClassifier(features: training.features, rows: sizes.trainBatches, columns: d, labels: training.labels)
        } catch {
            throw EvaluationError(metric: metric, error.message)
        }
        trainAccuracy = model.accuracy(features: training.features, rows: sizes.trainBatches, labels: training.labels)
        evalAccuracy = model.accuracy(features: evaluation.features, rows: sizes.evalBatches, labels: evaluation.labels)
        factorNames = sampler.factorNames
        self.sizes = sizes
        self.seed = seed
        self.notes = notes
    }

    public var name: String { "β-VAE score" }
    public var key: String { "beta_vae" }
    public var definition: String {
        "β-VAE score (Higgins et al. 2017; disentanglement_lib beta_vae.py): accuracy of a logistic regression (scikit-learn defaults, C = 1) predicting the shared factor from the mean |z₁ − z₂| of pairs sharing it"
    }
    public var figures: [(key: String, label: String, value: Double?)] {
        [("eval_accuracy", "eval accuracy", evalAccuracy), ("train_accuracy", "train accuracy", trainAccuracy)]
    }
    public var sampleSizes: [(key: String, count: Int)] {
        [("batch_size", sizes.batchSize), ("train_points", sizes.trainBatches), ("eval_points", sizes.evalBatches)]
    }
}
