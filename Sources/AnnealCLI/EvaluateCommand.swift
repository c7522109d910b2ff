import ArgumentParser
import Data
import Evaluation
import Foundation
import JSONConfig
import RunLog
import Tensors
import Training

/// `anneal evaluate`: judge a trained model with numbers.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Judge a trained model: collapse diagnostics per KL term, log-likelihood, and the generator's quality, diversity and coverage.",
        discussion: """
            RUN is a run folder (its checkpoints/best.ckpt, or last.ckpt with --checkpoint last) or a .ckpt file. \
            A per-class or per-group run is judged generator by generator, and all its generators together. \
            The model is judged on the run's validation split, on --split training|test (test: the config's \
            data.test_path, which training never read), or on --data (a data file .npy/.csv/.idx, or a config \
            whose data section names one). A run that standardised its data (data.standardize) standardises \
            these examples with its saved training statistics.

            Per KL term: KL (mean and per dimension), active units (posterior-mean variance ≥ 0.01, N − 1), \
            mutual information I(x; z) (He et al. 2019, in batches of 256: one posterior sample per input makes it \
            noisy, and it cannot resolve more than log 256 = 5.55, so an estimate above that is shown as ≥ 5.55 and \
            one below 0 as ≈ 0; the JSON keeps the estimate), and a verdict: a unit is informative when it is active \
            and its own KL is at least 0.1 nats; collapsed when no unit is informative, the term's KL is below 0.01 \
            nats or its mutual information below 0.05 nats; partially collapsed when under half the units are \
            informative; healthy otherwise. log p(x) ≥ the IWAE bound with --samples K (500). For categorical data, the share \
            of all examples reconstructed exactly from the posterior mean. The generator: the mean of p(x | z) \
            for z from the prior, one per real example (the same labels for conditional models), or the rows \
            of --generated FILE.npy; against the real examples: precision, recall, density, coverage (Naeem et \
            al. 2020, k = 5), MMD² (RBF, median-distance bandwidth), Fréchet distance, mean L2 distance and \
            cosine similarity (nearest real example and mean embeddings), and diversity (per-dimension standard \
            deviation, mean pairwise distance), overall and class by class.

            Without a model: --codes CODES.npy (N × D codes, e.g. posterior means) with --factors FACTORS.npy \
            (N × K whole numbers ≥ 0, optional names by --factor-names) scores the codes' disentanglement with \
            disentanglement_lib's definitions and sample sizes: MIG, DCI (disentanglement, completeness, \
            informativeness), the FactorVAE score, SAP, the β-VAE score, and the unsupervised scores (Gaussian total \
            correlation, Wasserstein dependency, mean pairwise mutual information), which need --codes only. \
            --metrics chooses (mig, dci, factor_vae, sap, beta_vae, unsupervised); every figure is printed with its \
            definition, sample sizes and seed. With fewer rows than a definition's samples, all rows are used \
            (DCI and SAP split them 2 : 1) and a note says so; a factor with a single value is left out, with a note.
            """
    )

    @Argument(help: ArgumentHelp("A run folder or a checkpoint file (not with --codes).", valueName: "run"))
    var target: String?

    @Option(name: .long, help: ArgumentHelp("Score these codes' disentanglement instead of a model: an N × D .npy array.", valueName: "file"))
    var codes: String?

    @Option(name: .long, help: ArgumentHelp("With --codes: the examples' generative factors, an N × K .npy array of whole numbers ≥ 0.", valueName: "file"))
    var factors: String?

    @Option(name: .customLong("factor-names"), help: ArgumentHelp("With --factors: the factors' names, comma-separated.", valueName: "names"))
    var factorNames: String?

    @Option(name: .long, help: ArgumentHelp("With --codes: the metrics, comma-separated: mig, dci, factor_vae, sap, beta_vae, unsupervised (all that the inputs allow by default).", valueName: "list"))
    var metrics: String?

    @Option(name: .long, help: "Which checkpoint of a run folder: best or last.")
    var checkpoint: CheckpointChoiceArgument = .init(.best)

    @Option(name: .long, help: ArgumentHelp("Judge on this data instead: a .npy, .csv or .idx file, or a config with a data section.", valueName: "file"))
    var data: String?

    @Option(name: .long, help: ArgumentHelp("Which of the run's examples: validation, training, or test (the config's data.test_path).", valueName: "split"))
    var split: TrainedModel.Split = .validation

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Importance samples K per example for log p(x) (0 to skip).", valueName: "k"))
    var samples = 500

    @Option(name: .long, help: ArgumentHelp("Score these generated examples (.npy, rows of features) instead of sampling the model.", valueName: "file"))
    var generated: String?

    @Option(name: .long, help: "table (or text) or json.")
    var format: EvaluationFormat = .table

    @Option(name: .long, help: ArgumentHelp("Write the report to this file (atomically; missing folders are created) as well.", valueName: "path"))
    var output: String?

    @Option(name: .long, parsing: .unconditional, help: "Threads for BLAS (at most the machine's cores).")
    var threads = 1

    @Option(name: .long, parsing: .unconditional, help: "Seed for the posterior and prior samples (with --codes: every metric's draws).")
    var seed = 0

    @Option(name: .long, help: "For a run whose data has known factors (dsprites, data.factors_path): the disentanglement metrics at disentanglement_lib's sample sizes (full), a fifth of them (quick), or none.")
    var disentanglement: DisentanglementSizes = .full

    enum DisentanglementSizes: String, ExpressibleByArgument, CaseIterable {
        case full, quick, none
    }

    /// `--metrics` for a run: the named ones, or every metric but the β-VAE score (which saturates and costs the most).
    static func runMetrics(_ list: String?) throws -> [DisentanglementMetric] {
        guard let list else { return [.mig, .dci, .factorVAE, .sap, .unsupervised] }
        let known = DisentanglementMetric.allCases.map(\.rawValue).joined(separator: ", ")
        var chosen = [DisentanglementMetric]()
        for name in list.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
            guard let metric = DisentanglementMetric(rawValue: name) else { throw CommandFailure("--metrics: unknown metric \"\(name)\"; the metrics are \(known)") }
            if !chosen.contains(metric) { chosen.append(metric) }
        }
        return chosen
    }

    func validate() throws {
        if codes != nil && target != nil { throw ValidationError("--codes scores given codes without a model; give either a run or --codes, not both") }
        if codes == nil && target == nil { throw ValidationError("give a run folder or checkpoint to evaluate, or --codes CODES.npy to score given codes") }
        if codes == nil {
            for (flag, value) in [("--factors", factors), ("--factor-names", factorNames)] where value != nil {
                throw ValidationError("\(flag) goes with --codes (scoring given codes), not with a run")
            }
        }
        if samples < 0 { throw ValidationError("--samples must be ≥ 0, got \(samples)") }
        if seed < 0 { throw ValidationError("--seed must be ≥ 0, got \(seed)") }
        if data != nil && split != .validation { throw ValidationError("--split \(split.rawValue) chooses among the run's own examples; it cannot be combined with --data") }
        if threads < 1 || threads > ProcessInfo.processInfo.activeProcessorCount {
            throw ValidationError("--threads must be between 1 and this machine's \(ProcessInfo.processInfo.activeProcessorCount) cores, got \(threads)")
        }
    }

    func run() throws {
        BLAS.setThreads(threads)
        if let codes {
            let evaluation = try CodeDisentanglement(codes: codes, factors: factors, factorNames: factorNames.map { $0.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) } })
            let chosen = try evaluation.metrics(metrics)
            let results = try evaluation.evaluate(metrics: chosen, seed: UInt64(seed))
            try emit(format == .json ? JSONWriter.pretty(evaluation.json(results, seed: UInt64(seed))) : evaluation.text(results, seed: UInt64(seed)))
            return
        }
        guard let target else { return }
        var options = ModelEvaluation.Options()
        // The importance weights are kept whole, examples × K doubles; a K that cannot fit is refused at once
        // (the examples are at most the data's; the exact count is checked again once the data is read).
        if samples > 0, let problem = MemoryBudget.problem(bytes: Double(samples) * 8 * 1024, what: "--samples \(samples) (importance samples for each example)") {
            throw CommandFailure("\(problem)  for even 1,024 examples; give fewer --samples (500 is the usual K)")
        }
        options.importanceSamples = samples
        options.notice = { StandardError.print("note: " + $0) }
        options.seed = UInt64(seed)
        if let generated {
            do {
                let array = try NPYReader.read(generated)
                options.generated = Tensor(rows: array.rows, columns: array.columns, scalars: array.values)
                options.generatedSource = generated
            } catch {
                throw CommandFailure(error.description)
            }
        }
        let text: String
        do {
            if GeneratorSet.holdsSet(target) {
                let report = try GeneratorSetEvaluation.evaluate(target, choice: checkpoint.value, data: try Self.dataSource(data), split: split, options: options)
                text = format == .json ? JSONWriter.pretty(report.json) : report.text
            } else {
                let trained = try TrainedModel.load(target, choice: checkpoint.value, data: try Self.dataSource(data), split: split)
                for note in trained.notes { StandardError.print("note: \(note)") }
                let report = try ModelEvaluation.evaluate(trained, options: options)
                guard trained.dataset.factors != nil, disentanglement != .none else {
                    if metrics != nil { throw CommandFailure(trained.dataset.factors == nil ? "--metrics: \(trained.dataset.name) has no factors to score the model's codes against (dsprites has them; give data.factors_path)" : "--metrics and --disentanglement none: give one") }
                    text = format == .json ? JSONWriter.pretty(report.json) : report.text
                    return try emit(text)
                }
                // Data with known factors: the disentanglement scores of the model's posterior means.
                let chosen = try Self.runMetrics(metrics)
                let sizes = disentanglement == .quick ? RunDisentanglement.quickSizes : DisentanglementSampleSizes()
                StandardError.print("note: disentanglement of \(trained.dataset.name)'s factors (\(trained.dataset.factors!.names.joined(separator: ", "))) at \(disentanglement == .quick ? "a fifth of " : "")disentanglement_lib's sample sizes (--disentanglement quick|full|none)")
                let (blocks, notes) = try RunDisentanglement.evaluate(model: trained.model, dataset: trained.dataset,
                                                                      conditioned: trained.configuration.model.specification.needsLabels,
                                                                      context: trained.context(temperature: 0), metrics: chosen, seed: UInt64(seed), sizes: sizes)
                let examples = min(trained.dataset.count, sizes.trainCount + sizes.testCount)
                if format == .json {
                    guard case .object(var members) = report.json.kind else { text = JSONWriter.pretty(report.json); return try emit(text) }
                    members.append(JSONMember(key: "disentanglement", value: RunDisentanglement.json(blocks, notes: notes, examples: examples, seed: UInt64(seed))))
                    text = JSONWriter.pretty(JSONValue(.object(members)))
                } else {
                    var lines = [report.text, "Disentanglement of the posterior means of \(examples) examples against the data's factors (\(trained.dataset.factors!.names.joined(separator: ", "))); seed \(seed)"]
                    lines += notes.map { "note: \($0)" }
                    for block in blocks {
                        lines.append("")
                        lines.append("\(block.name) (\(block.dimensions) dimensions)")
                        for result in block.results { lines += CodeDisentanglement.lines(result, indent: "  ") }
                    }
                    text = lines.joined(separator: "\n") + "\n"
                }
            }
        } catch let error as TrainingError {
            throw CommandFailure(error.description)
        } catch let error as EvaluationError {
            throw CommandFailure(error.description)
        }
        try emit(text)
    }

    /// Prints the report, and writes it to --output when given.
    func emit(_ text: String) throws {
        if let output {
            do { try OutputFile.write(text, to: output) } catch { throw CommandFailure(error.description) }
            if OutputFile.isStandardOutput(output) { return }
            // The file holds the result: standard output is a copy, and losing it is only a warning.
            StandardOutput.write(text)
        } else {
            try StandardOutput.writeResult(text)
        }
    }

    /// `--data`: a data file by its extension, or a config file's data section.
    static func dataSource(_ path: String?) throws -> DataSource? {
        guard let path else { return nil }
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "npy": return DataSource(kind: .npy, path: absolute)
        case "csv": return DataSource(kind: .csv, path: absolute)
        case "json":
            do { return try RunConfiguration.dataSource(inConfig: path) } catch { throw CommandFailure(error.description) }
        default:
            if DataSource.Kind.pngFolder.definition.claims(path: absolute) { return DataSource(kind: .pngFolder, path: absolute) }
            if FileManager.default.fileExists(atPath: absolute) { return DataSource(kind: .idx, path: absolute) }
            throw CommandFailure("--data \(path): no such file (give a .npy, .csv or IDX file, a folder of PNG images, or a config with a data section)")
        }
    }
}

/// `--checkpoint best|last`.
struct CheckpointChoiceArgument: ExpressibleByArgument {
    let value: TrainedModel.Choice
    init(_ value: TrainedModel.Choice) { self.value = value }
    init?(argument: String) {
        guard let value = TrainedModel.Choice(rawValue: argument) else { return nil }
        self.value = value
    }
    static var allValueStrings: [String] { TrainedModel.Choice.allCases.map(\.rawValue) }
    var defaultValueDescription: String { value.rawValue }
}

/// `--split validation|training|test`.
extension TrainedModel.Split: ExpressibleByArgument {}

enum EvaluationFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    /// The same as table.
    case text
    case json
}
