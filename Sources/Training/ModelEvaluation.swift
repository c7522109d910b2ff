import Data
import Evaluation
import Foundation
import JSONConfig
import Models
import Tensors

/// Judges a trained model with numbers: collapse diagnostics per KL term, the importance-sampled
/// log-likelihood, exact reconstruction (categorical data), and the generator's quality, diversity and
/// coverage against real examples, overall and class by class. `anneal evaluate` prints it.
///
/// - Per KL term: the true KL (mean per example, and per latent dimension), active units (posterior-mean
///   variance ≥ 0.01 over the evaluation set, N − 1), the mutual information I(x; z) (He et al. 2019, in
///   batches of `Options.mutualInformationBatch`, which bounds it by log B), and a verdict in words.
/// - log p(x) ≥ L_K, the IWAE bound with K = `Options.importanceSamples` (500), drawn in chunks with no
///   remainder dropped; also the one-sample ELBO (β = 1, true KL).
/// - Generated examples are drawn through the prior at temperature 1, one per real example (at most
///   `maximumGenerated`), with the real examples' labels for conditional models: for categorical data a class
///   drawn for each group (one-hot, like the real examples), for binary data under a Bernoulli likelihood the
///   bits drawn, otherwise the mean of p(x | z); or the rows of a given file (`Options.generated`).
public struct ModelEvaluation {
    public struct Options: Sendable {
        public var importanceSamples = 500
        public var chunkSize = 100
        public var mutualInformationBatch = 256
        public var neighbours = 5
        public var seed: UInt64 = 0
        public var maximumGenerated = 10_000
        /// Examples to score instead of sampling the model (rows × features).
        public var generated: Tensor<Float>?
        /// Where `generated` came from, for the report.
        public var generatedSource: String?
        /// Told, before a long stretch of work (the importance-sampled log-likelihood of a large model), what it
        /// costs and how to make it cheaper.
        public var notice: (@Sendable (String) -> Void)?

        public init() {}
    }

    /// The diagnostics of one KL term.
    public struct TermReport {
        public var name: String
        public var meanKL: Double
        public var klPerDimension: [Double]
        public var activeUnits: ActiveUnits
        public var mutualInformation: MutualInformation?
        public var verdict: CollapseVerdict
    }

    /// Generated against real examples: overall, or for one class.
    public struct GeneratorReport {
        /// `all`, or the class's label.
        public var subset: String
        public var realCount: Int
        public var generatedCount: Int
        public var similarity: GeneratedToRealSimilarity?
        public var diversity: SampleDiversity?
        public var realDiversity: SampleDiversity?
        public var precisionRecall: PrecisionRecallDensityCoverage?
        public var meanDiscrepancy: MaximumMeanDiscrepancy?
        public var frechet: FrechetDistance?
        /// Metrics that could not be computed for this subset, and why (too few examples).
        public var problems: [String]
    }

    public var checkpoint: String
    /// Epochs the checkpoint had trained.
    public var epochs: Int
    public var dataName: String
    /// Which examples were judged ("validation split", "test file x.npy", …).
    public var evaluationSet = "validation split"
    /// Whether the values are in standardised units (`data.standardize`): the ELBO and log-likelihood are then
    /// densities of the standardised data (log p(x) = log p(x′) − Σ_j log σ_j).
    public var standardized = false
    public var examples: Int
    public var reconstruction: Double
    public var elbo: Double
    public var terms: [TermReport]
    public var logLikelihood: ImportanceSampledLogLikelihood?
    /// Exact reconstruction of every example (categorical data), and how many were judged.
    public var coverage: (fraction: Double, examples: Int)?
    public var generatedSource: String
    public var generator: [GeneratorReport]
    /// The real examples and the generated ones the generator metrics compared (for a generator set's
    /// metrics of all its generators together).
    public var realExamples: Tensor<Float>
    public var generatedExamples: Tensor<Float>

    /// Evaluates `trained` on its evaluation examples.
    public static func evaluate(_ trained: TrainedModel, options: Options = Options()) throws(TrainingError) -> ModelEvaluation {
        let model = trained.model, dataset = trained.dataset, indices = trained.evaluationIndices
        let conditioned = trained.configuration.model.specification.needsLabels
        let batches = BatchAssembler(dataset: dataset, conditioned: conditioned)
        let graph = Graph<Float>()
        let terms = model.terms
        let klIndices = terms.indices.filter { terms[$0].role == .kl }
        let reconstructionIndex = terms.firstIndex { $0.role == .reconstruction }!
        let batchSize = 1024

        // One posterior sample per example: ELBO, KL, posterior statistics.
        var noise = RandomGenerator(seed: options.seed)
        var reconstruction = 0.0
        var statistics = PosteriorStatistics(latentSizes: klIndices.map { terms[$0].columns })
        var means = klIndices.map { _ in [Float]() }, logVariances = means, samples = means
        var logDensity: MutualInformation.LogDensity?
        var start = 0
        while start < indices.count {
            let slice = indices[start..<min(indices.count, start + batchSize)]
            graph.reset()
            let output = model.forward(batches.batch(slice, in: graph), context: trained.context(temperature: 1), noise: &noise, in: graph)
            reconstruction += graph.value(output.terms[reconstructionIndex]).reduce(0.0) { $0 + Double($1) }
            logDensity = output.posteriorLogDensity
            statistics.add(rows: slice.count, klValues: klIndices.map { graph.value(output.terms[$0]) }, posteriorMeans: output.posteriorMeans.map { graph.value($0) })
            for term in klIndices.indices {
                means[term] += graph.value(output.posteriorMeans[term])
                if term < output.posteriorLogVariances.count {
                    logVariances[term] += graph.value(output.posteriorLogVariances[term])
                    samples[term] += graph.value(output.posteriorSamples[term])
                }
            }
            start += batchSize
        }
        let n = Double(indices.count)
        var termReports: [TermReport] = []
        for (term, index) in klIndices.enumerated() {
            let width = terms[index].columns
            do {
                let meanTensor = Tensor(rows: indices.count, columns: width, scalars: means[term])
                let active = try ActiveUnits(posteriorMeans: meanTensor)
                var information: MutualInformation?
                if logVariances[term].count == means[term].count {
                    information = try MutualInformation(means: meanTensor, logVariances: Tensor(rows: indices.count, columns: width, scalars: logVariances[term]),
                                                        samples: Tensor(rows: indices.count, columns: width, scalars: samples[term]),
                                                        batchSize: min(options.mutualInformationBatch, indices.count), logDensity: logDensity)
                }
                let meanKL = statistics.meanKL[term]
                let perDimension = statistics.klPerDimension[term].map { $0 / n }
                termReports.append(TermReport(name: terms[index].name, meanKL: meanKL, klPerDimension: perDimension,
                                              activeUnits: active, mutualInformation: information,
                                              verdict: CollapseVerdict(term: terms[index].name, activeUnits: active, meanKL: meanKL, klPerDimension: perDimension,
                                                                       mutualInformation: information)))
            } catch {
                throw TrainingError("evaluating the \(terms[index].name) term: \(error)")
            }
        }
        let meanReconstruction = reconstruction / n

        // The IWAE bound: K samples per example in chunks; each chunk tiles the examples.
        var logLikelihood: ImportanceSampledLogLikelihood?
        if options.importanceSamples > 0 {
            if let problem = MemoryBudget.problem(bytes: Double(indices.count) * Double(options.importanceSamples) * 8,
                                                  what: "the importance-sampled log-likelihood with K = \(options.importanceSamples) for \(indices.count) examples") {
                throw TrainingError("\(problem); give fewer importance samples (--samples)")
            }
            var weightNoise = RandomGenerator(seed: options.seed &+ 0x1A5E)
            // Forward passes only: 2 FLOP per multiply-add, one pass per example and sample.
            let work = 2 * Double(model.multiplyAddsPerExample) * Double(indices.count) * Double(options.importanceSamples)
            // Said from 0.2 TFLOP on (tens of seconds on a core; small layers run far below the peak).
            if work > 2e11 {
                options.notice?("log p(x): K = \(options.importanceSamples) importance samples for each of \(indices.count) examples, about \(String(format: "%.1f", work / 1e12)) TFLOP of forward passes (a minute or more on a CPU core); --samples \(max(1, options.importanceSamples / 10)) takes a tenth of that, --samples 0 skips it")
            }
            // Each pass holds its tiled examples' activations: at most 4,096 examples, fewer for wide ones (images).
            let passValues = max(1, min(4096, 4_194_304 / max(1, dataset.featureCount)))
            do {
                logLikelihood = try ImportanceSampledLogLikelihood(examples: indices.count, samples: options.importanceSamples, chunkSize: options.chunkSize) { range in
                    var result = [Double](repeating: 0, count: indices.count * range.count)
                    let examplesPerPass = max(1, passValues / range.count)
                    var first = 0
                    while first < indices.count {
                        let group = Array(indices[first..<min(indices.count, first + examplesPerPass)])
                        let tiled = (0..<range.count).flatMap { _ in group }
                        graph.reset()
                        let weights = graph.value(model.logImportanceWeights(batches.batch(tiled[...], in: graph), context: trained.context(temperature: 1), noise: &weightNoise, in: graph))
                        for copy in 0..<range.count {
                            for (offset, _) in group.enumerated() {
                                result[(first + offset) * range.count + copy] = Double(weights[copy * group.count + offset])
                            }
                        }
                        first += group.count
                    }
                    return result
                }
            } catch {
                throw TrainingError("the importance-sampled log-likelihood: \(error)")
            }
        }

        // Exact reconstruction of every example of categorical data (all 19,683 ternary operations).
        var coverage: (Double, Int)?
        if case .categorical = dataset.kind {
            let all = Array(0..<dataset.count)
            coverage = ExactReconstruction.coverage(model: model, dataset: dataset, indices: all, conditioned: conditioned, context: trained.context(temperature: 0), graph: graph).map { ($0, all.count) }
        }

        // The generator against real examples.
        let count = min(indices.count, options.maximumGenerated)
        let realIndices = Array(indices.prefix(count))
        var real = [Float](repeating: 0, count: count * dataset.featureCount)
        real.withUnsafeMutableBufferPointer { dataset.storage.copyRows(realIndices[...], width: dataset.featureCount, into: $0.baseAddress!) }
        let realTensor = Tensor(rows: count, columns: dataset.featureCount, scalars: real)
        let generated: Tensor<Float>
        var source: String
        var generatedLabels: [Int32]?
        if let given = options.generated {
            guard given.columns == dataset.featureCount else {
                throw TrainingError("\(options.generatedSource ?? "the generated set") has \(given.columns) features per row; the data has \(dataset.featureCount)")
            }
            var rows = given
            source = "\(given.rows) rows of \(options.generatedSource ?? "the given set")"
            // Given rows are compared in the units training read: divided by data.scale's divisor, then standardised.
            // `anneal sample` writes its samples divided already (standardisation undone), a user's own rows may
            // be in the file's units: rows whose largest |value| stays within √divisor times the scaled data's
            // largest are taken as divided already (the geometric middle of the two units' ranges), larger ones
            // are divided, and the source says which.
            if let divisor = dataset.scaleDivisor, divisor > 1 {
                let scaledLargest = ((dataset.storage as? StandardizedRows)?.base ?? dataset.storage).maximumMagnitude
                let largest = given.scalars.reduce(Float(0)) { max($0, abs($1)) }
                if largest > scaledLargest * divisor.squareRoot() {
                    rows = Tensor(rows: given.rows, columns: given.columns, scalars: given.scalars.map { $0 / divisor })
                    source += ", divided by the run's data.scale divisor \(String(format: "%g", Double(divisor))) (its values reach \(String(format: "%g", Double(largest))), the file's units)"
                } else {
                    source += ", taken as divided by data.scale's \(String(format: "%g", Double(divisor))) already, as anneal sample writes them (its values reach \(String(format: "%g", Double(largest))), the data's \(String(format: "%g", Double(scaledLargest))) after scaling)"
                }
            }
            if let standardization = dataset.standardization {
                var values = rows.scalars
                standardization.apply(&values)
                rows = Tensor(rows: given.rows, columns: given.columns, scalars: values)
                source += ", standardised with the run's statistics"
            }
            generated = rows
        } else {
            var sampleNoise = RandomGenerator(seed: options.seed &+ 0x5A3F)
            var values: [Float] = []
            values.reserveCapacity(count * dataset.featureCount)
            var first = 0
            while first < count {
                let slice = realIndices[first..<min(count, first + batchSize)]
                graph.reset()
                var conditions: Graph<Float>.Variable?
                if conditioned, let labels = dataset.labels {
                    let variable = graph.labels(rows: slice.count, columns: 1) { buffer in
                        for (row, index) in slice.enumerated() { buffer[row] = labels[index] }
                    }
                    conditions = graph.oneHot(variable, classes: dataset.classCount)
                }
                let z = model.samplePrior(rows: slice.count, conditions: conditions, temperature: 1, noise: &sampleNoise, in: graph)
                values += graph.value(model.reconstructionMean(model.decode(z, conditions: conditions, context: trained.context(temperature: 1), in: graph), in: graph))
                first += slice.count
            }
            let observation = ObservationSampling.kind(likelihood: trained.configuration.model.likelihood, dataset: dataset)
            ObservationSampling.draw(&values, kind: observation, groupSize: dataset.categoryGroupSize ?? 1, noise: &sampleNoise)
            generated = Tensor(rows: count, columns: dataset.featureCount, scalars: values)
            if conditioned { generatedLabels = dataset.labels.map { labels in realIndices.map { labels[$0] } } }
            source = "\(count) samples through the prior at temperature 1 (\(observation.description))\(conditioned ? ", one per real example's label" : "")"
        }
        var reports = [Self.compare(real: realTensor, generated: generated, subset: "all", neighbours: options.neighbours)]
        if let labels = dataset.labels, let generatedLabels {
            let realLabels = realIndices.map { labels[$0] }
            for label in Set(realLabels).sorted() {
                let realRows = realLabels.indices.filter { realLabels[$0] == label }
                let generatedRows = generatedLabels.indices.filter { generatedLabels[$0] == label }
                let name = dataset.classNames.flatMap { Int(label) < $0.count ? $0[Int(label)] : nil } ?? "class \(label)"
                reports.append(Self.compare(real: rows(realTensor, realRows), generated: rows(generated, generatedRows), subset: name, neighbours: options.neighbours))
            }
        }
        var evaluation = ModelEvaluation(checkpoint: trained.checkpointPath, epochs: trained.checkpoint.state.epoch, dataName: dataset.name, examples: indices.count, reconstruction: meanReconstruction,
                               elbo: -(meanReconstruction + statistics.meanKL.reduce(0, +)), terms: termReports, logLikelihood: logLikelihood,
                               coverage: coverage, generatedSource: source, generator: reports, realExamples: realTensor, generatedExamples: generated)
        evaluation.evaluationSet = trained.evaluationSet
        evaluation.standardized = dataset.standardization != nil
        return evaluation
    }

    static func rows(_ tensor: Tensor<Float>, _ indices: [Int]) -> Tensor<Float> {
        var values: [Float] = []
        values.reserveCapacity(indices.count * tensor.columns)
        tensor.withUnsafeBufferPointer { buffer in
            for index in indices { values += buffer[(index * tensor.columns)..<((index + 1) * tensor.columns)] }
        }
        return Tensor(rows: indices.count, columns: tensor.columns, scalars: values)
    }

    /// Every generator metric that the subset's sizes allow; the others are listed as problems.
    static func compare(real: Tensor<Float>, generated: Tensor<Float>, subset: String, neighbours: Int) -> GeneratorReport {
        var report = GeneratorReport(subset: subset, realCount: real.rows, generatedCount: generated.rows, problems: [])
        func attempt<T>(_ name: String, _ body: () throws -> T) -> T? {
            do { return try body() } catch {
                report.problems.append("\(name): \(error)")
                return nil
            }
        }
        report.similarity = attempt("similarity") { try GeneratedToRealSimilarity(real: real, generated: generated) }
        report.diversity = attempt("diversity") { try SampleDiversity(samples: generated) }
        report.realDiversity = attempt("real diversity") { try SampleDiversity(samples: real) }
        let k = min(neighbours, max(1, min(real.rows, generated.rows) - 1))
        report.precisionRecall = attempt("precision/recall") { try PrecisionRecallDensityCoverage(real: real, generated: generated, k: k) }
        report.meanDiscrepancy = attempt("MMD²") { try MaximumMeanDiscrepancy(real: real, generated: generated) }
        report.frechet = attempt("Fréchet distance") { try FrechetDistance(real: real, generated: generated) }
        return report
    }

    // MARK: Output

    public var json: JSONValue {
        func number(_ value: Double?) -> JSONValue { value.map { .number($0) } ?? .null }
        let termValues: [JSONValue] = terms.map { term in
            .object([
                ("name", .string(term.name)), ("kl", .number(term.meanKL)), ("kl_per_dimension", .array(term.klPerDimension.map { .number($0) })),
                ("active_units", .number(term.activeUnits.count)), ("dimensions", .number(term.activeUnits.dimensions)),
                ("posterior_mean_variances", .array(term.activeUnits.variances.map { .number($0) })),
                ("mutual_information", number(term.mutualInformation?.nats)), ("mutual_information_batch", number(term.mutualInformation.map { Double($0.batchSize) })),
                ("verdict", .string(term.verdict.status.rawValue)), ("verdict_text", .string(term.verdict.description)),
            ])
        }
        let generatorValues: [JSONValue] = generator.map(Self.json)
        var members: [(String, JSONValue)] = [
            ("checkpoint", .string(checkpoint)), ("epochs_trained", .number(epochs)), ("data", .string(dataName)), ("evaluation_set", .string(evaluationSet)), ("standardized", .bool(standardized)), ("examples", .number(examples)),
            ("elbo", .number(elbo)), ("reconstruction", .number(reconstruction)), ("terms", .array(termValues)),
        ]
        if let logLikelihood {
            members += [("log_likelihood_iwae", .number(logLikelihood.mean)), ("iwae_samples", .number(logLikelihood.samples)),
                        ("k_sample_elbo", .number(logLikelihood.meanLogWeight))]
        }
        if let coverage { members += [("exact_reconstruction", .number(coverage.fraction)), ("exact_reconstruction_examples", .number(coverage.examples))] }
        members += [("generated_source", .string(generatedSource)), ("generator", .array(generatorValues))]
        return .object(members)
    }

    /// One comparison of generated to real examples as JSON.
    static func json(_ report: GeneratorReport) -> JSONValue {
            var members: [(String, JSONValue)] = [("subset", .string(report.subset)), ("real", .number(report.realCount)), ("generated", .number(report.generatedCount))]
            if let s = report.similarity {
                members += [("nearest_neighbour_l2", .number(s.nearestNeighbourL2Distance)), ("nearest_neighbour_cosine", .number(s.nearestNeighbourCosineSimilarity)),
                            ("mean_embedding_l2", .number(s.meanEmbeddingL2Distance)), ("mean_embedding_cosine", .number(s.meanEmbeddingCosineSimilarity))]
            }
            if let d = report.diversity { members += [("mean_standard_deviation", .number(d.meanStandardDeviation)), ("mean_pairwise_distance", .number(d.meanPairwiseDistance))] }
            if let d = report.realDiversity { members += [("real_mean_standard_deviation", .number(d.meanStandardDeviation)), ("real_mean_pairwise_distance", .number(d.meanPairwiseDistance))] }
            if let p = report.precisionRecall {
                members += [("precision", .number(p.precision)), ("recall", .number(p.recall)), ("density", .number(p.density)), ("coverage", .number(p.coverage)), ("k", .number(p.k))]
            }
            if let m = report.meanDiscrepancy { members += [("mmd2_unbiased", .number(m.unbiased)), ("mmd2_biased", .number(m.biased)), ("mmd_bandwidth", .number(m.bandwidth))] }
            if let f = report.frechet { members.append(("frechet_distance", .number(f.distance))) }
            if !report.problems.isEmpty { members.append(("problems", .array(report.problems.map { .string($0) }))) }
            return .object(members)
    }

    /// The report for people.
    public var text: String {
        func f(_ value: Double, _ digits: Int = 4) -> String { String(format: "%.\(digits)g", value) }
        var lines = ["\(checkpoint) (after \(epochs) epoch\(epochs == 1 ? "" : "s") of training) on \(examples) examples of \(dataName) (\(evaluationSet)\(standardized ? ", standardised: densities are of the standardised features" : ""))"]
        var elboLine = "  ELBO \(f(elbo, 5)) nats (reconstruction \(f(reconstruction, 5)), KL \(f(terms.reduce(0) { $0 + $1.meanKL }, 4)))"
        if let logLikelihood { elboLine += "; log p(x) ≥ \(f(logLikelihood.mean, 5)) (IWAE, K = \(logLikelihood.samples))" }
        lines.append(elboLine)
        for term in terms {
            lines.append("  \(term.verdict.description)")
            lines.append("    KL per dimension: " + term.klPerDimension.map { f($0, 3) }.joined(separator: " "))
        }
        if let coverage {
            lines.append("  exact reconstruction (posterior mean): \(String(format: "%.2f", 100 * coverage.fraction))% of \(coverage.examples) examples")
        }
        lines.append("  generator: \(generatedSource)")
        lines += Self.textLines(generator)
        return lines.joined(separator: "\n") + "\n"
    }

    /// Comparisons of generated to real examples for people: every metric of "all", one line per other subset.
    static func textLines(_ generator: [GeneratorReport]) -> [String] {
        func f(_ value: Double, _ digits: Int = 4) -> String { String(format: "%.\(digits)g", value) }
        var lines: [String] = []
        for report in generator {
            let prefix = report.subset == "all" ? "    " : "    \(report.subset): "
            var parts: [String] = []
            if let p = report.precisionRecall { parts.append("precision \(f(p.precision, 3)), recall \(f(p.recall, 3)), density \(f(p.density, 3)), coverage \(f(p.coverage, 3)) (k = \(p.k))") }
            if let s = report.similarity { parts.append("L2 to nearest real \(f(s.nearestNeighbourL2Distance)), cosine \(f(s.nearestNeighbourCosineSimilarity)); mean embeddings L2 \(f(s.meanEmbeddingL2Distance)), cosine \(f(s.meanEmbeddingCosineSimilarity))") }
            if let d = report.diversity { parts.append("diversity: per-dimension std \(f(d.meanStandardDeviation))\(report.realDiversity.map { " (real \(f($0.meanStandardDeviation)))" } ?? ""), mean pairwise distance \(f(d.meanPairwiseDistance))\(report.realDiversity.map { " (real \(f($0.meanPairwiseDistance)))" } ?? "")") }
            if let m = report.meanDiscrepancy { parts.append("MMD² \(f(m.unbiased)) unbiased (RBF bandwidth \(f(m.bandwidth)))") }
            if let fd = report.frechet { parts.append("Fréchet distance \(f(fd.distance))") }
            if report.subset == "all" {
                for part in parts { lines.append(prefix + part) }
            } else {
                lines.append(prefix + (parts.first ?? "") + (report.problems.isEmpty ? "" : " (\(report.problems.count) metric\(report.problems.count == 1 ? "" : "s") skipped: too few examples)"))
            }
        }
        return lines
    }
}
