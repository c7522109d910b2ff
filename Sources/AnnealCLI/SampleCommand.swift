import ArgumentParser
import Data
import Foundation
import Imaging
import RunLog
import Tensors
import Training

/// `anneal sample`: draw from a trained model.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Draw samples from a trained model, or interpolate between two examples, as .npy (and a PNG grid for images).",
        discussion: """
            RUN is a run folder (checkpoints/best.ckpt, or last.ckpt with --checkpoint last) or a .ckpt file. \
            Samples are decoded from the prior with its noise scaled by --temperature (1: the prior; below 1, \
            closer to its mode). Written: FILE.npy with the mean of p(x | z) per sample (shaped like the data's \
            images when it has any), FILE.latents.npy with the codes, and for image data FILE.png, a grid a \
            person can open; for the ternary operations FILE.npy holds each table's 9 most likely digits and the \
            tables are printed. --class K samples a conditional model's class K (a label value of the data), or in a per-class or \
            per-group run the generator that holds K; without --class a conditional model gives --count samples of \
            each class in turn, and a per-class or per-group run --count from each generator, with FILE.labels.npy \
            (int32) holding each row's class. \
            --interpolate I J decodes --steps points on the line between examples I and J's posterior means \
            (examples of the run's data, or of --data). \
            --traverse draws latent traversals (one row per latent dimension, ordered by KL, collapsed ones dimmed; \
            --steps values from the prior's −3…3, or --range R, or --quantiles of the posterior means) from the mean \
            code or --example I's. \
            --codes Z.npy decodes given latent codes (N × the model's latent size, every block side by side in \
            the model's order: [z_g, z_l] for a hierarchical CVAE, [z_A, z_B] for a dual VAE; ball coordinates on \
            the Poincaré ball) into samples written as above, or with --mean into the likelihood's mean itself \
            (N × features in the model's units: probabilities, or standardised means); a conditional model needs \
            --class K.
            """
    )

    @Argument(help: ArgumentHelp("A run folder or a checkpoint file.", valueName: "run"))
    var target: String

    @Option(name: .long, help: "Which checkpoint of a run folder: best or last.")
    var checkpoint: CheckpointChoiceArgument = .init(.best)

    @Option(name: .long, parsing: .unconditional, help: "How many samples.")
    var count = 16

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Sample this class (a label of the data) from a conditional model.", valueName: "k"))
    var `class`: Int?

    @Option(name: .long, parsing: .unconditional, help: "The prior's noise scale: 1 samples the prior; smaller is closer to its mode.")
    var temperature = 1.0

    @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("Interpolate between examples I and J of the data (0-based indices).", valueName: "i j"))
    var interpolate: [Int] = []

    @Option(name: .long, help: ArgumentHelp("Interpolate between examples of this data instead of the run's: a .npy, .csv or .idx file, or a config with a data section (also the way to a run's data file that has moved).", valueName: "file"))
    var data: String?

    @Option(name: .long, parsing: .unconditional, help: "Points on the interpolation line, both ends included.")
    var steps = 8

    @Option(name: .long, help: ArgumentHelp("The .npy file to write (default: RUN/samples/samples-<date>-<time>-<milliseconds>.npy, never an existing name).", valueName: "file"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("Decode these latent codes: a .npy of N rows × the model's latent size (float32 or float64).", valueName: "file"))
    var codes: String?

    @Flag(name: .long, help: "With --codes: write the likelihood's mean (probabilities, means) in the model's units, N × features, instead of samples in the data's units.")
    var mean = false

    @Option(name: .long, parsing: .unconditional, help: "Seed for the prior samples.")
    var seed = 0

    @Flag(name: .long, help: "Latent traversals: a PNG grid per latent block, one row per dimension (largest KL first, collapsed ones last and dimmed), --steps values a row, from the mean code of the run's validation examples (or --example I).")
    var traverse = false

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("With --traverse: start from example I's posterior mean instead of the mean code.", valueName: "i"))
    var example: Int?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("With --traverse: vary each dimension over the prior's −r…r (default 3 standard deviations).", valueName: "r"))
    var range: Double?

    @Flag(name: .long, help: "With --traverse: vary each dimension over quantiles of its posterior means (the default on the Poincaré ball).")
    var quantiles = false

    @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("Draw flat examples as images of this height and width (a run whose config has no data.image_shape).", valueName: "h w"))
    var imageShape: [Int] = []

    func validate() throws {
        if count < 1 { throw ValidationError("--count must be at least 1, got \(count)") }
        if !(temperature >= 0 && temperature.isFinite) { throw ValidationError("--temperature must be ≥ 0, got \(temperature)") }
        if !interpolate.isEmpty && interpolate.count != 2 { throw ValidationError("--interpolate takes two example indices, I and J; got \(interpolate.count)") }
        if steps < 2 { throw ValidationError("--steps must be at least 2, got \(steps)") }
        if seed < 0 { throw ValidationError("--seed must be ≥ 0, got \(seed)") }
        if codes != nil && !interpolate.isEmpty { throw ValidationError("--codes and --interpolate both choose what is decoded; give one") }
        if mean && codes == nil { throw ValidationError("--mean writes the likelihood's mean of given codes; it needs --codes Z.npy") }
        if data != nil && interpolate.isEmpty { throw ValidationError("--data gives the examples --interpolate I J reads; sampling the prior reads no data") }
        if output == "-" { throw ValidationError("--output -: anneal sample writes several files (FILE.npy, FILE.latents.npy, a PNG grid for images); give a .npy path") }
        if let output, !output.hasSuffix(".npy") { throw ValidationError("--output must name a .npy file, got \(output)") }
        if traverse && (codes != nil || !interpolate.isEmpty) { throw ValidationError("--traverse, --codes and --interpolate each choose what is decoded; give one") }
        if !traverse && (example != nil || range != nil || quantiles) { throw ValidationError("--example, --range and --quantiles shape a traversal; they need --traverse") }
        if let range, !(range > 0 && range.isFinite) { throw ValidationError("--range must be a positive number of standard deviations, got \(range)") }
        if range != nil && quantiles { throw ValidationError("--range and --quantiles both choose a traversal's values; give one") }
        if let example, example < 0 { throw ValidationError("--example must be ≥ 0, got \(example)") }
        if !imageShape.isEmpty && (imageShape.count != 2 || imageShape.contains { $0 < 1 }) {
            throw ValidationError("--image-shape takes a height and a width, two whole numbers ≥ 1; got \(imageShape.map(String.init).joined(separator: " "))")
        }
    }

    func run() throws {
        if GeneratorSet.holdsSet(target) { return try runSet() }
        let trained: TrainedModel
        let source = try EvaluateCommand.dataSource(data)
        do { trained = try TrainedModel.load(target, choice: checkpoint.value, data: source, needsExamples: !interpolate.isEmpty || traverse) } catch { throw CommandFailure(error.description) }
        for note in trained.notes { StandardError.print("note: \(note)") }
        if let constants = trained.checkpoint.state.dataDescription?.constantFeatures, !constants.isEmpty {
            let shown = constants.prefix(3).map { "feature \($0.index) = \($0.value)" }.joined(separator: ", ") + (constants.count > 3 ? ", …" : "")
            StandardError.print("note: \(constants.count) feature\(constants.count == 1 ? " holds" : "s hold") one value in every example of the run's data (\(shown)); the samples give \(constants.count == 1 ? "it" : "them") exactly that value")
        }
        if traverse { return try traversal(trained) }
        try sample(trained, classOffered: true)
    }

    /// `--traverse`: one grid per latent block (`LatentTraversal`), FILE.png or FILE-<block>.png, the decoded
    /// images in FILE.npy (block after block, rows × steps images), and the rows' legend on standard output.
    func traversal(_ trained: TrainedModel) throws {
        let dataset = trained.dataset
        guard case .continuous = dataset.kind, dataset.imageShape != nil || !imageShape.isEmpty else {
            throw CommandFailure("--traverse draws images: \(dataset.name) is not image data (give --image-shape H W for flat examples that are images)")
        }
        guard [1, 3].contains(dataset.imageChannels) else {
            throw CommandFailure("--traverse draws gray or RGB images: \(dataset.name)'s images have \(dataset.imageChannels) channels")
        }
        var shaped = dataset
        if !imageShape.isEmpty {
            do { shaped = try dataset.with(imageShape: imageShape, file: "--image-shape") } catch { throw CommandFailure(error.description) }
        }
        if let example, example >= dataset.count { throw CommandFailure("--example \(example): the data has examples 0…\(dataset.count - 1)") }
        let conditioned = trained.configuration.model.specification.needsLabels
        var label: Int32?
        if conditioned {
            if let requested = self.class {
                guard dataset.classesPresent.contains(requested) else { throw CommandFailure("--class \(requested): the data's classes are \(dataset.classesPresent.map(String.init).joined(separator: ", "))") }
                label = Int32(requested)
            } else {
                label = example.flatMap { dataset.labels?[$0] } ?? dataset.classesPresent.first.map { Int32($0) }
            }
        }
        let values: LatentTraversal.Values = quantiles ? .quantiles : range.map { .priorRange($0) } ?? LatentTraversal.defaultValues(for: trained.model)
        let blocks = LatentTraversal.traverse(model: trained.model, dataset: shaped, examples: trained.evaluationIndices, conditioned: conditioned, label: label,
                                              base: example, values: values, steps: steps, context: trained.context(temperature: 0))
        let path = output ?? Self.defaultPath(target)
        let base = String(path.dropLast(".npy".count))
        var written: [String] = []
        do {
            try AtomicFile.createDirectory(URL(fileURLWithPath: path).deletingLastPathComponent().path)
            var all: [Float] = []
            for block in blocks {
                var images = block.images
                shaped.standardization?.undo(&images)
                all += images
                guard let grid = try RunPictures.traversalGrid(block, dataset: shaped, steps: steps) else {
                    throw CommandFailure("the traversal of \(block.name) decoded values that are not finite; the model at this checkpoint does not decode")
                }
                let picture = blocks.count == 1 ? base + ".png" : base + "-\(block.name).png"
                try grid.write(to: picture)
                written.append(picture)
            }
            try NPYWriter.write(all, shape: [all.count / shaped.featureCount, shaped.featureCount], to: path)
            written.insert(path, at: 0)
        } catch let error as CommandFailure {
            throw error
        } catch {
            throw CommandFailure("\(error)")
        }
        let what: String
        switch values {
        case .priorRange(let r): what = "\(steps) values from −\(r) to \(r) (the prior's standard deviations)"
        case .quantiles: what = "\(steps) quantiles of each dimension's posterior means"
        }
        var text = "latent traversal from \(example.map { "example \($0)'s posterior mean" } ?? "the mean code of \(min(4096, trained.evaluationIndices.count)) examples (\(trained.evaluationSet))")\(label.map { ", class \($0)" } ?? ""), \(what) a row:\n"
        for block in blocks { text += LatentTraversal.legend(block) + "\n" }
        text += "wrote " + written.joined(separator: ", ") + "\n"
        StandardOutput.write(text)
    }

    /// A per-class or per-group run: --class K samples the generator holding K; without it, --count samples
    /// from every generator (and every class of a conditional one), in order, one grid row block each.
    func runSet() throws {
        let members: [GeneratorSet.Member]
        do { members = try GeneratorSet.members(ofSet: target) } catch { throw CommandFailure(error.description) }
        func load(_ member: GeneratorSet.Member) throws -> TrainedModel {
            let source = try EvaluateCommand.dataSource(data)
            do { return try TrainedModel.load(member.directory, choice: checkpoint.value, data: source, needsExamples: !interpolate.isEmpty) } catch {
                throw CommandFailure("generator \(member.name): \(error.description)")
            }
        }
        let classes = members.flatMap(\.classes).sorted().map(String.init).joined(separator: ", ")
        if let requested = self.class {
            guard let member = members.first(where: { $0.classes.contains(requested) }) else {
                throw CommandFailure("--class \(requested): no generator of \(target) holds it; its classes are \(classes)")
            }
            let trained = try load(member)
            StandardError.print("class \(requested) is generator \(member.name) (\(member.directory))")
            return try sample(trained, classOffered: trained.configuration.model.specification.needsLabels)
        }
        if let codes {
            throw CommandFailure("--codes \(codes) in a run of \(members.count) generators needs --class K, to choose the generator that decodes them (its classes are \(classes))")
        }
        guard interpolate.isEmpty else {
            throw CommandFailure("--interpolate in a run of \(members.count) generators needs --class K, to choose the generator (its classes are \(classes)); I and J then index that generator's examples")
        }
        var combined: ModelSampling.Samples?
        var dataset: Dataset?
        var blocks: [String] = []
        var rowLabels: [Int32] = []
        var everyRowHasClass = true
        for (index, member) in members.enumerated() {
            let trained = try load(member)
            dataset = trained.dataset
            let labels: [Int32?] = trained.configuration.model.specification.needsLabels ? member.classes.map { Int32($0) } : [nil]
            for label in labels {
                let samples = try Self.inDataUnits(ModelSampling.prior(trained, count: count, temperature: temperature, label: label, seed: UInt64(seed) &+ UInt64(index)), trained)
                if let known = label ?? (member.classes.count == 1 ? Int32(member.classes[0]) : nil) {
                    rowLabels += [Int32](repeating: known, count: samples.count)
                } else {
                    everyRowHasClass = false
                }
                let first = combined?.count ?? 0
                blocks.append("rows \(first)–\(first + samples.count - 1): generator \(member.name)\(label.map { ", class \($0)" } ?? "")")
                combined = ModelSampling.Samples.joined(combined, samples)
            }
        }
        try write(combined!, dataset: dataset!, columns: count, labels: everyRowHasClass ? rowLabels : nil, what: "\(combined!.count) samples at temperature \(temperature) from \(members.count) generators (\(blocks.joined(separator: "; ")))")
    }

    func sample(_ trained: TrainedModel, classOffered: Bool) throws {
        let dataset = trained.dataset
        let conditioned = trained.configuration.model.specification.needsLabels
        var label: Int32?
        if let requested = self.class, classOffered {
            guard conditioned else {
                throw CommandFailure("--class: the \(trained.configuration.model.specification.typeName) model does not condition on labels; train a cvae or hierarchical_cvae to sample by class")
            }
            guard requested >= 0, requested < dataset.classCount, dataset.classesPresent.contains(requested) else {
                throw CommandFailure("--class \(requested): the data's classes are \(dataset.classesPresent.map(String.init).joined(separator: ", "))")
            }
            label = Int32(requested)
        } else if conditioned && interpolate.isEmpty && codes == nil {
            // Every class in turn, --count each, as a per-class run samples its generators; the labels go beside.
            let classes = dataset.classesPresent
            try checkSize(rows: count * classes.count, dataset: dataset, latentWidth: trained.model.latentWidth)
            var combined: ModelSampling.Samples?
            var labels: [Int32] = []
            for (index, value) in classes.enumerated() {
                let samples = try Self.inDataUnits(ModelSampling.prior(trained, count: count, temperature: temperature, label: Int32(value), seed: UInt64(seed) &+ UInt64(index)), trained)
                labels += [Int32](repeating: Int32(value), count: samples.count)
                combined = ModelSampling.Samples.joined(combined, samples)
            }
            guard let combined else { throw CommandFailure("the \(trained.configuration.model.specification.typeName) model conditions on a label, but the run's data has no class") }
            return try write(combined, dataset: dataset, columns: count, labels: labels,
                             what: "\(combined.count) samples at temperature \(temperature), \(count) of each class (\(classes.map(String.init).joined(separator: ", ")); --class K for one)")
        }
        if let codes {
            return try decode(codes, trained: trained, label: label, conditioned: conditioned)
        }
        let samples: ModelSampling.Samples
        try checkSize(rows: interpolate.count == 2 ? steps : count, dataset: dataset, latentWidth: trained.model.latentWidth)
        if interpolate.count == 2 {
            for index in interpolate where index < 0 || index >= dataset.count {
                throw CommandFailure("--interpolate \(index): the data has examples 0…\(dataset.count - 1)")
            }
            samples = try Self.inDataUnits(ModelSampling.interpolation(trained, from: interpolate[0], to: interpolate[1], steps: steps, label: label), trained)
        } else {
            samples = try Self.inDataUnits(ModelSampling.prior(trained, count: count, temperature: temperature, label: label, seed: UInt64(seed)), trained)
        }
        let what = interpolate.isEmpty ? "\(samples.count) sample\(samples.count == 1 ? "" : "s") at temperature \(temperature)\(label.map { " of class \($0)" } ?? "")"
            : "\(samples.count) points between examples \(interpolate[0]) and \(interpolate[1])"
        try write(samples, dataset: dataset, columns: interpolate.isEmpty ? 8 : samples.count, what: what)
    }

    /// `--codes`: the codes in `path` decoded by `trained` (conditioned on `label`), written as samples, or with
    /// `--mean` as the likelihood's mean in the model's units (N × features).
    func decode(_ path: String, trained: TrainedModel, label: Int32?, conditioned: Bool) throws {
        let width = trained.model.latentWidth
        let array: NumericArray
        do { array = try NPYReader.read(path) } catch { throw CommandFailure("--codes \(error.description)") }
        guard array.shape.count == 2, array.shape[1] == width, array.rows >= 1 else {
            throw CommandFailure("--codes \(path): holds an array of shape (\(array.shape.map(String.init).joined(separator: ", "))); the model decodes N × \(width) codes (N rows of its latent size\(trained.model.klTermNames.count > 1 ? ", blocks \(trained.model.klTermNames.joined(separator: ", ")) side by side" : ""))")
        }
        if let bad = array.values.firstIndex(where: { !$0.isFinite }) {
            throw CommandFailure("--codes \(path): code \(bad / width) holds \(array.values[bad]); codes must be finite")
        }
        if conditioned && label == nil {
            throw CommandFailure("--codes: the \(trained.configuration.model.specification.typeName) model conditions on a label; give --class K (the data's classes are \(trained.dataset.classesPresent.map(String.init).joined(separator: ", ")))")
        }
        try checkSize(rows: array.rows, dataset: trained.dataset, latentWidth: width)
        let decoded = ModelSampling.decode(trained, codes: array.values, count: array.rows, label: label)
        let what = "\(decoded.count) code\(decoded.count == 1 ? "" : "s") from \(path) decoded\(label.map { " as class \($0)" } ?? "")"
        guard mean else { return try write(try Self.inDataUnits(decoded, trained), dataset: trained.dataset, columns: 8, what: what) }
        let output = self.output ?? Self.defaultPath(target)
        let base = String(output.dropLast(".npy".count))
        do {
            try AtomicFile.createDirectory(URL(fileURLWithPath: output).deletingLastPathComponent().path)
            try NPYWriter.write(decoded.means, shape: [decoded.count, decoded.featureCount], to: output)
            try NPYWriter.write(decoded.latents, shape: [decoded.count, decoded.latentWidth], to: base + ".latents.npy")
        } catch {
            throw CommandFailure(error.description)
        }
        StandardError.print("wrote the likelihood's mean of \(what): \(output), \(base).latents.npy")
    }

    /// Refuses, before anything is drawn, a request whose samples, codes and picture would not fit in memory.
    func checkSize(rows: Int, dataset: Dataset, latentWidth: Int) throws {
        // The decoded means and codes as floats, the grid's pixels, and the graph's buffers for a chunk.
        let bytes = Double(rows) * Double(dataset.featureCount + latentWidth) * 4 * 3
        if let problem = MemoryBudget.problem(bytes: bytes, what: "\(rows) samples of \(dataset.featureCount) features") {
            throw CommandFailure("\(problem); ask for fewer (--count, or --steps for --interpolate)")
        }
    }

    /// A model's samples in the data's units: a run that standardised its data has the standardisation undone,
    /// and a feature that was constant over the run's data is that constant (the model's own estimate of it is
    /// noise around it: a constant 3.0 came back as 3.25–3.68). Samples that are not finite (a huge temperature)
    /// are an error.
    static func inDataUnits(_ samples: ModelSampling.Samples, _ trained: TrainedModel) throws -> ModelSampling.Samples {
        if let bad = samples.means.firstIndex(where: { !$0.isFinite }) {
            throw CommandFailure("the decoded samples are not finite (sample \(bad / max(1, samples.featureCount)) holds \(samples.means[bad])): codes that far from the prior's mode overflow the decoder; use a smaller --temperature (1 samples the prior)")
        }
        var samples = samples
        trained.dataset.standardization?.undo(&samples.means)
        if let constants = trained.checkpoint.state.dataDescription?.constantFeatures, !constants.isEmpty, samples.featureCount > 0 {
            for row in 0..<samples.count {
                for constant in constants where constant.index < samples.featureCount {
                    samples.means[row * samples.featureCount + constant.index] = constant.value
                }
            }
        }
        return samples
    }

    /// Writes FILE.npy, FILE.latents.npy, FILE.labels.npy when the rows have classes (int32, one per row), and
    /// for images FILE.png (`columns` images a row). The samples are in the data's units (`inDataUnits`).
    func write(_ samples: ModelSampling.Samples, dataset: Dataset, columns: Int, labels: [Int32]? = nil, what: String) throws {
        var dataset = dataset
        if !imageShape.isEmpty {
            do { dataset = try dataset.with(imageShape: imageShape, file: "--image-shape") } catch {
                throw CommandFailure("--image-shape \(imageShape[0]) \(imageShape[1]) holds \(imageShape[0] * imageShape[1]) pixels, but the run's examples have \(dataset.featureCount) features")
            }
        }
        let path = output ?? Self.defaultPath(target)
        let base = String(path.dropLast(".npy".count))
        var written: [String] = []
        do {
            try AtomicFile.createDirectory(URL(fileURLWithPath: path).deletingLastPathComponent().path)
            if case .categorical(let groups, let groupSize) = dataset.kind {
                let digits = ModelSampling.classes(samples, groupSize: groupSize)
                try NPYWriter.write(digits, shape: [samples.count, groups], to: path)
                StandardOutput.write(Self.tables(digits, groups: groups))
            } else if let image = dataset.imageShape {
                let channels = dataset.imageChannels
                try NPYWriter.write(samples.means, shape: channels == 1 ? [samples.count, image.height, image.width] : [samples.count, channels, image.height, image.width], to: path)
                let scale = max(1, 64 / max(image.width, image.height))
                if channels == 1 || channels == 3 {
                    // The grid takes channels interleaved (R, G, B per pixel); samples are channels first.
                    let pixels = channels == 1 ? samples.means : ImageGrid.interleaved(samples.means, channels: channels, pixels: image.width * image.height)
                    let grid = try ImageGrid(pixels: pixels, imageCount: samples.count, width: image.width, height: image.height,
                                             format: channels == 1 ? .grayscale : .rgb, columns: columns, scale: scale)
                    try grid.write(to: base + ".png")
                    written.append(base + ".png")
                } else {
                    StandardError.print("note: no picture drawn: the run's images have \(channels) channels; pictures are drawn for 1 (grey) or 3 (RGB)")
                }
            } else {
                try NPYWriter.write(samples.means, shape: [samples.count, samples.featureCount], to: path)
                let side = Int(Double(samples.featureCount).squareRoot().rounded())
                let hint = side * side == samples.featureCount ? " (\(side) × \(side)?)" : ""
                StandardError.print("note: no picture drawn: the run's examples are rows of \(samples.featureCount) features with no image shape; --image-shape H W draws them\(hint), and data.image_shape [H, W] in a config gives a run its shape")
            }
            try NPYWriter.write(samples.latents, shape: [samples.count, samples.latentWidth], to: base + ".latents.npy")
            if let labels {
                try NPYWriter.write(labels, shape: [labels.count], to: base + ".labels.npy")
                written.append(base + ".labels.npy")
            }
        } catch let error as AtomicFile.WriteError {
            throw CommandFailure(error.description)
        } catch let error as ImagingError {
            throw CommandFailure(error.description)
        }
        StandardError.print("wrote \(what): \(([path] + written + [base + ".latents.npy"]).joined(separator: ", "))")
    }

    static func defaultPath(_ target: String) -> String {
        var isDirectory: ObjCBool = false
        let folder = FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory) && isDirectory.boolValue
            ? target : URL(fileURLWithPath: target).deletingLastPathComponent().deletingLastPathComponent().path
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss-SSS"
        formatter.locale = Locale(identifier: "en_US_POSIX")
        // Milliseconds, and a counter when that name is taken, so two samplings never share a file.
        let base = folder + "/samples/samples-\(formatter.string(from: Date()))"
        var path = base + ".npy"
        var counter = 2
        while FileManager.default.fileExists(atPath: path) || FileManager.default.fileExists(atPath: String(path.dropLast(4)) + ".latents.npy") {
            path = base + "-\(counter).npy"
            counter += 1
        }
        return path
    }

    /// Operation tables, 3 × 3 each (`op(a, b)` at row a, column b), four to a line.
    static func tables(_ digits: [Int32], groups: Int) -> String {
        let side = Int(Double(groups).squareRoot())
        guard side * side == groups else { return "" }
        let count = digits.count / groups
        var text = ""
        for start in stride(from: 0, to: count, by: 4) {
            let block = start..<min(count, start + 4)
            text += block.map { "#\($0)".padding(toLength: side * 2 + 3, withPad: " ", startingAt: 0) }.joined() + "\n"
            for row in 0..<side {
                text += block.map { index in
                    (0..<side).map { String(digits[index * groups + row * side + $0]) }.joined(separator: " ") + "    "
                }.joined() + "\n"
            }
            text += "\n"
        }
        return text
    }
}
