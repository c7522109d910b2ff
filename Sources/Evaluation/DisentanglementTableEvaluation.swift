import Tensors

/// The disentanglement metrics of a table of given codes (N × D) and, optionally, factors (N × K), with each
/// metric's draws from its own generator seeded with `seed` (so a metric's figures do not depend on which
/// others run). Fewer rows than a definition's sample sizes: MIG and the unsupervised scores use all rows;
/// DCI and SAP split all rows 2 : 1 into disjoint training and test rows (`DisentanglementSampleSizes.split`);
/// FactorVAE's global variances use all rows, and its batches and β-VAE's pairs draw among the rows that have
/// the fixed value (`FactorTableSampler`). Each fallback is a note on the result.
public enum DisentanglementTableEvaluation {
    /// The results of `metrics`, in that order.
    public static func evaluate<Scalar: TensorScalar>(codes: Tensor<Scalar>, factors: GroundTruthFactors?, metrics: [DisentanglementMetric],
                                                      seed: UInt64 = 0, sizes: DisentanglementSampleSizes = DisentanglementSampleSizes()) throws(EvaluationError) -> [any DisentanglementResult] {
        let rows = codes.rows, d = codes.columns
        if let factors, factors.count != rows {
            throw EvaluationError(metric: "disentanglement", "\(rows) rows of codes but \(factors.count) rows of factors")
        }
        var results = [any DisentanglementResult]()
        for metric in metrics {
            var generator = RandomGenerator(seed: seed)
            if metric.needsFactors && factors == nil {
                throw EvaluationError(metric: metric.rawValue, "needs the examples' factors")
            }
            switch metric {
            case .mig:
                let (picked, note) = sizes.sample(rows: rows, generator: &generator)
                var result = try MutualInformationGap(codes: subset(codes, picked), factors: factors!.subset(rows: picked))
                if let note { result.notes.append(note) }
                results.append(result)
            case .unsupervised:
                let (picked, note) = sizes.sample(rows: rows, generator: &generator)
                var result = try UnsupervisedDisentanglementScores(codes: subset(codes, picked))
                result.seed = seed
                if let note { result.notes.insert(note, at: 0) }
                results.append(result)
            case .dci, .sap:
                guard let split = sizes.split(rows: rows, generator: &generator) else {
                    throw EvaluationError(metric: metric == .dci ? "DCI" : "SAP", "the table has \(rows) rows; a training and test split needs at least \(DisentanglementSampleSizes.minimumSplitRows)")
                }
                let trainCodes = subset(codes, split.train), testCodes = subset(codes, split.test)
                let trainFactors = factors!.subset(rows: split.train), testFactors = factors!.subset(rows: split.test)
                var result: any DisentanglementResult
                if metric == .dci {
                    var dci = try DisentanglementCompletenessInformativeness(trainCodes: trainCodes, trainFactors: trainFactors, testCodes: testCodes, testFactors: testFactors)
                    dci.seed = seed
                    if let note = split.note { dci.notes.insert(note, at: 0) }
                    result = dci
                } else {
                    var sap = try SeparatedAttributePredictability(trainCodes: trainCodes, trainFactors: trainFactors, testCodes: testCodes, testFactors: testFactors)
                    sap.seed = seed
                    if let note = split.note { sap.notes.insert(note, at: 0) }
                    result = sap
                }
                results.append(result)
            case .factorVAE, .betaVAE:
                var sampler = try FactorTableSampler(codes: codes.withUnsafeBufferPointer { $0.map { $0.doubleValue } }, codeDimensions: d, factors: factors!)
                var incomplete = [String]()
                let needed = metric == .factorVAE ? sizes.batchSize : 2
                for k in 0..<factors!.factorCount {
                    let values = factors!.distinctValueCounts[k]
                    let eligible = sampler.values(factor: k, atLeast: needed).count
                    if eligible < values { incomplete.append("\(factors!.names[k]): \(values - eligible) of \(values) values have fewer than \(needed) rows and are never fixed") }
                }
                var result: any DisentanglementResult
                if metric == .factorVAE {
                    var score = try FactorVAEScore(sampler: &sampler, sizes: sizes, seed: seed)
                    score.notes.append("batches draw without replacement among the rows that have the fixed value")
                    score.notes += incomplete
                    result = score
                } else {
                    var score = try BetaVAEScore(sampler: &sampler, sizes: sizes, seed: seed)
                    score.notes.append("each pair is two distinct rows that share the factor's value")
                    score.notes += incomplete
                    result = score
                }
                results.append(result)
            }
        }
        return results
    }

    /// The rows `rows` of `tensor`, in that order.
    static func subset<Scalar: TensorScalar>(_ tensor: Tensor<Scalar>, _ rows: [Int]) -> Tensor<Scalar> {
        let d = tensor.columns
        var values = [Scalar]()
        values.reserveCapacity(rows.count * d)
        tensor.withUnsafeBufferPointer { all in
            for row in rows { values.append(contentsOf: all[(row * d)..<((row + 1) * d)]) }
        }
        return Tensor(rows: rows.count, columns: d, scalars: values)
    }
}
