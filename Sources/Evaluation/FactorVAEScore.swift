import Tensors

/// The FactorVAE score (Kim & Mnih 2018, "Disentangling by Factorising"), as disentanglement_lib computes
/// it (`factor_vae.py`, batch 64, 10,000 training and 5,000 evaluation votes, 10,000 examples for the
/// variances):
///
/// 1. global variances s_j² of each code over random examples (`np.var(ddof=1)`); codes with s_j < 0.05 are
///    pruned (inactive).
/// 2. a vote: pick a factor k uniformly, fix it at the value of a random example, draw a batch with k fixed,
///    take each active code's variance in the batch (ddof 1) divided by s_j², and vote (k, j*) for the active
///    code j* with the smallest ratio. disentanglement_lib indexes the vote matrix with j*'s position among
///    the active codes; here j* is the code's own index, so a pruned code never receives votes meant for
///    another (the two agree when no code is pruned).
/// 3. each code is assigned the factor with most training votes (the first on ties); accuracy = the share of
///    votes (training, then evaluation) whose factor is their code's assigned factor.
///
/// With no active code both accuracies are 0 (dlib's convention). A factor that no value can fill a batch
/// for (`FixedFactorSampler.fixedValue` nil) is left out of the draw, with a note.
public struct FactorVAEScore: DisentanglementResult {
    public let trainAccuracy: Double
    public let evalAccuracy: Double
    /// Indices of the codes with global standard deviation ≥ 0.05.
    public let activeCodes: [Int]
    /// votes[k][j], training votes.
    public let trainVotes: [[Int]]
    public let factorNames: [String]
    public let sizes: DisentanglementSampleSizes
    public let varianceExamples: Int
    public var seed: UInt64?
    public var notes: [String] = []

    public init(sampler: inout some FixedFactorSampler, sizes: DisentanglementSampleSizes = DisentanglementSampleSizes(), seed: UInt64 = 0) throws(EvaluationError) {
        let metric = "FactorVAE score"
        guard sizes.batchSize >= 2, sizes.trainBatches >= 1, sizes.evalBatches >= 1, sizes.varianceEstimateCount >= 2 else {
            throw EvaluationError(metric: metric, "needs batches of at least 2, at least one vote of each kind and 2 examples for the variances")
        }
        var generator = RandomGenerator(seed: seed)
        let d = sampler.codeDimensions
        let global = try sampler.randomCodes(count: sizes.varianceEstimateCount, generator: &generator)
        let examples = global.count / d
        guard examples >= 2 else { throw EvaluationError(metric: metric, "\(examples) examples for the global variances; at least 2 are needed") }
        let globalVariances = Self.variances(global, rows: examples, columns: d)
        let active = (0..<d).filter { globalVariances[$0].squareRoot() >= 0.05 }
        var notes = [String]()
        if examples < sizes.varianceEstimateCount {
            notes.append("global variances over all \(examples) examples (fewer than the definition's \(sizes.varianceEstimateCount))")
        }
        let k = sampler.factorNames.count
        var usable = [Int]()
        for factor in 0..<k {
            var probe = generator
            if try sampler.fixedValue(factor: factor, count: sizes.batchSize, generator: &probe) != nil { usable.append(factor) }
            else { notes.append("factor \(sampler.factorNames[factor]) left out: no value has \(sizes.batchSize) examples for a batch") }
        }
        guard !usable.isEmpty else {
            throw EvaluationError(metric: metric, "no factor has a value with \(sizes.batchSize) examples to fill a batch")
        }
        // With one factor every vote names it: the majority-vote classifier is right by construction (1.0).
        guard usable.count >= 2 else {
            throw EvaluationError(metric: metric, "the classifier needs at least 2 factors that can be fixed in a batch of \(sizes.batchSize); only \(sampler.factorNames[usable[0]]) can, and a vote among one factor is right by construction")
        }
        factorNames = sampler.factorNames
        self.sizes = sizes
        varianceExamples = examples
        self.seed = seed
        activeCodes = active
        if active.isEmpty {
            notes.append("no code has a standard deviation of at least 0.05: every code is pruned, and both accuracies are 0 by definition")
            trainAccuracy = 0
            evalAccuracy = 0
            trainVotes = [[Int]](repeating: [Int](repeating: 0, count: d), count: k)
            self.notes = notes
            return
        }
        func votes(_ count: Int) throws(EvaluationError) -> [[Int]] {
            var table = [[Int]](repeating: [Int](repeating: 0, count: d), count: k)
            for _ in 0..<count {
                let factor = usable[generator.integer(below: usable.count)]
                guard let value = try sampler.fixedValue(factor: factor, count: sizes.batchSize, generator: &generator) else {
                    throw EvaluationError(metric: metric, "factor \(sampler.factorNames[factor]) has no value with \(sizes.batchSize) examples")
                }
                let batch = try sampler.codes(count: sizes.batchSize, factor: factor, value: value, generator: &generator)
                let local = Self.variances(batch, rows: sizes.batchSize, columns: d)
                var best = active[0]
                for j in active where local[j] / globalVariances[j] < local[best] / globalVariances[best] { best = j }
                table[factor][best] += 1
            }
            return table
        }
        let training = try votes(sizes.trainBatches)
        let evaluation = try votes(sizes.evalBatches)
        let assigned = (0..<d).map { j in (0..<k).reduce(0) { training[$1][j] > training[$0][j] ? $1 : $0 } }
        func accuracy(_ table: [[Int]]) -> Double {
            let total = table.reduce(0) { $0 + $1.reduce(0, +) }
            let correct = (0..<d).reduce(0) { $0 + table[assigned[$1]][$1] }
            return Double(correct) / Double(total)
        }
        trainAccuracy = accuracy(training)
        evalAccuracy = accuracy(evaluation)
        trainVotes = training
        self.notes = notes
    }

    /// Each column's variance with the N − 1 denominator (two passes).
    static func variances(_ values: [Double], rows: Int, columns: Int) -> [Double] {
        (0..<columns).map { j in
            var mean = 0.0
            for i in 0..<rows { mean += values[i * columns + j] }
            mean /= Double(rows)
            var squares = 0.0
            for i in 0..<rows { let deviation = values[i * columns + j] - mean; squares += deviation * deviation }
            return squares / Double(rows - 1)
        }
    }

    public var name: String { "FactorVAE score" }
    public var key: String { "factor_vae" }
    public var definition: String {
        "FactorVAE score (Kim & Mnih 2018; disentanglement_lib factor_vae.py): majority-vote classifier from the factor held fixed in a batch to the active code (std ≥ 0.05) of least normalised variance; votes map to the code's own index"
    }
    public var figures: [(key: String, label: String, value: Double?)] {
        [("train_accuracy", "train accuracy", trainAccuracy), ("eval_accuracy", "eval accuracy", evalAccuracy),
         ("active_codes", "active codes", Double(activeCodes.count))]
    }
    public var sampleSizes: [(key: String, count: Int)] {
        [("batch_size", sizes.batchSize), ("train_votes", sizes.trainBatches), ("eval_votes", sizes.evalBatches), ("variance_examples", varianceExamples)]
    }
}
