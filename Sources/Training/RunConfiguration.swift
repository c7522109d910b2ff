import Data
import Foundation
import JSONConfig
import Layers
import Models
import Schedules

/// A whole run: data, model, schedules and training settings, read from the seed's JSON extended with
/// `data` and `model` sections:
///
/// ```json
/// {"data": {"source": "ternary_operations", "validation_fraction": 0.1},
///  "model": {"type": "vae", "hidden_sizes": [128, 128], "latent_dim": 8, "likelihood": "categorical"},
///  "training": {"num_epochs": 40, "batch_size": 256, "learning_rate": 0.001, "beta_scheduler_type": "cyclical", …}}
/// ```
///
/// Everything but `data.source` has a default; model defaults depend on the data (see `modelDefaults`).
/// Contradictions (a hierarchical β schedule for a plain VAE, `use_hierarchical_model` against `model.type`,
/// a categorical likelihood for real-valued data) are errors that name the keys.
public struct RunConfiguration: Sendable {
    public var data: DataSource
    public var validationFraction: Double
    public var model: ModelSettings
    public var schedules: ScheduleConfiguration
    public var training: TrainingSettings
    public var logging: LoggingSettings
    /// The file the configuration came from.
    public var file: String?

    public static let trainingKeys = ["batch_size", "optimizer", "beta_granularity", "free_bits", "grad_clip_norm", "seed",
                                      "checkpoint_every", "max_consecutive_skipped_steps", "capacity"]

    /// Reads `path`; `epochs` and `seed` (command-line overrides) replace the config's values before anything
    /// depends on them. Relative data paths are resolved against the config file's directory.
    public static func load(file path: String, epochs: Int? = nil, seed: UInt64? = nil) throws(ConfigError) -> RunConfiguration {
        try parse(try ConfigFile.load(path), file: path, epochs: epochs, seed: seed)
    }

    public static func parse(_ document: JSONValue, file: String? = nil, epochs: Int? = nil, seed: UInt64? = nil) throws(ConfigError) -> RunConfiguration {
        let root = try ConfigObject(document, file: file)
        let dataObject = try root.required("data", "where the examples come from, {\"source\": \"ternary_operations\"}").object()
        let modelObject = try root.section("model")
        let trainingObject = try root.section("training")
        let logging = try parseLogging(try root.section("logging"))
        try root.finish(context: "run config (top level)")

        // Data.
        let baseDirectory = file.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path } ?? FileManager.default.currentDirectoryPath
        let (data, validationFraction) = try parseData(dataObject, baseDirectory: baseDirectory)

        // Training: the run length first, since schedules resolve ratios against it.
        var configuredEpochs: Int?
        if let node = trainingObject.node("num_epochs") {
            configuredEpochs = try node.integer()
            if configuredEpochs! < 1 { throw node.error("must be at least 1, got \(node.value.briefDescription)") }
        }
        let numEpochs = epochs ?? configuredEpochs ?? TrainingSettings.defaultEpochs
        var schedules = try ScheduleConfiguration.parseTraining(trainingObject, numEpochs: numEpochs, allowing: trainingKeys)
        if schedules.learningRate == nil { schedules.learningRate = .constant(ConstantSchedule(value: 1e-3)) }
        let training = try parseTrainingSettings(trainingObject, numEpochs: numEpochs, seed: seed)

        // Model, then the checks that tie it to the schedule and the data.
        let model = try parseModel(modelObject, data: data, useHierarchical: schedules.useHierarchicalModel, training: trainingObject)
        try checkTerms(schedules.beta, model: model, training: trainingObject)
        return RunConfiguration(data: data, validationFraction: validationFraction, model: model, schedules: schedules,
                                training: training, logging: logging, file: file)
    }

    // MARK: Sections

    static func parseLogging(_ object: ConfigObject) throws(ConfigError) -> LoggingSettings {
        var settings = LoggingSettings()
        if let flag = try object.bool("tensorboard") { settings.tensorBoard = flag }
        if let node = object.node("log_every_n_batches") {
            let value = try node.integer()
            if value < 1 { throw node.error("must be at least 1, got \(node.value.briefDescription)") }
            settings.logEveryNBatches = value
        }
        try object.finish(context: "logging section")
        return settings
    }

    static func parseData(_ object: ConfigObject, baseDirectory: String) throws(ConfigError) -> (DataSource, Double) {
        let names = DataSource.Kind.allCases.map(\.rawValue)
        let kind = DataSource.Kind(rawValue: try object.required("source", "one of \(names.joined(separator: ", "))").choice(names, what: "data source"))!
        func path(_ key: String) throws(ConfigError) -> String? {
            guard let node = object.node(key) else { return nil }
            let text = try node.string()
            return text.hasPrefix("/") ? text : URL(fileURLWithPath: baseDirectory).appendingPathComponent(text).path
        }
        var source = DataSource(kind: kind, path: try path("path"), labelsPath: try path("labels_path"))
        if let node = object.node("label_column") {
            switch node.value.kind {
            case .number: source.labelColumn = String(try node.integer())
            default: source.labelColumn = try node.string()
            }
        }
        switch kind {
        case .ternaryOperations, .shapes:
            for key in ["path", "labels_path", "label_column"] where object.contains(key) {
                throw object.error(at: key, "the built-in \(kind.rawValue) data set takes no \(key)")
            }
        case .npy, .idx, .csv:
            if source.path == nil { throw object.error("a \(kind.rawValue) source needs \"path\", the data file") }
            if kind == .csv, object.contains("labels_path") { throw object.error(at: "labels_path", "a CSV source takes its labels from label_column") }
            if kind != .csv, object.contains("label_column") { throw object.error(at: "label_column", "label_column is for CSV; give labels_path for \(kind.rawValue) data") }
        }
        let fraction = try object.number("validation_fraction", default: 0.1)
        if !(fraction >= 0 && fraction < 1) {
            throw object.error(at: "validation_fraction", "must be in [0, 1), the share of examples held out; got \(fraction)")
        }
        try object.finish(context: "data section")
        return (source, fraction)
    }

    /// Hidden sizes, latent size and likelihood suited to each data source.
    public static func modelDefaults(_ source: DataSource.Kind) -> (hidden: [Int], latent: Int, likelihood: String) {
        switch source {
        case .ternaryOperations: return ([128, 128], 8, "categorical")
        case .shapes: return ([256], 8, "bernoulli")
        default: return ([400], 20, "bernoulli")
        }
    }

    static func parseModel(_ object: ConfigObject, data: DataSource, useHierarchical: Bool?, training: ConfigObject) throws(ConfigError) -> ModelSettings {
        let defaults = modelDefaults(data.kind)
        var kind: ModelKind
        if let node = object.node("type") {
            kind = ModelKind(rawValue: try node.choice(ModelKind.allCases.map(\.rawValue), what: "model type"))!
            if let useHierarchical, useHierarchical != (kind == .hierarchicalCVAE) {
                throw training.error(at: "use_hierarchical_model", "use_hierarchical_model is \(useHierarchical) but model.type is \"\(kind.rawValue)\"; they contradict each other (drop one)")
            }
        } else {
            kind = useHierarchical == true ? .hierarchicalCVAE : .vae
        }
        var hidden = defaults.hidden
        if let node = object.node("hidden_sizes") {
            hidden = []
            for element in try node.array() {
                let size = try element.integer()
                if size < 1 { throw element.error("a hidden size must be at least 1, got \(element.value.briefDescription)") }
                hidden.append(size)
            }
        }
        func size(_ key: String) throws(ConfigError) -> Int? {
            guard let node = object.node(key) else { return nil }
            let value = try node.integer()
            if value < 1 { throw node.error("must be at least 1, got \(node.value.briefDescription)") }
            return value
        }
        let latent = try size("latent_dim") ?? defaults.latent
        let globalSize = try size("global_latent_dim"), localSize = try size("local_latent_dim")
        if kind != .hierarchicalCVAE, let key = ["global_latent_dim", "local_latent_dim"].first(where: object.contains) {
            throw object.error(at: key, "\(key) is for the hierarchical_cvae model; this model is \"\(kind.rawValue)\" (use latent_dim)")
        }
        let latentSizes = kind == .hierarchicalCVAE ? [globalSize ?? latent, localSize ?? latent] : [latent]
        let likelihoodNames = ["bernoulli", "gaussian", "mse", "categorical"]
        let likelihoodName = try object.node("likelihood")?.choice(likelihoodNames, what: "likelihood") ?? defaults.likelihood
        let variance = try object.node("gaussian_variance")?.choice(["learned", "fixed"], what: "gaussian_variance") ?? "learned"
        if likelihoodName != "gaussian", object.contains("gaussian_variance") {
            throw object.error(at: "gaussian_variance", "gaussian_variance is for the gaussian likelihood; this model's likelihood is \"\(likelihoodName)\"")
        }
        let likelihood: Likelihood
        switch likelihoodName {
        case "bernoulli": likelihood = .bernoulli
        case "gaussian": likelihood = .gaussian(learnedVariance: variance == "learned")
        case "mse": likelihood = .squaredError
        default:
            guard data.kind == .ternaryOperations else {
                throw object.error(at: "likelihood", "the categorical likelihood needs categorical data (ternary_operations); \(data.kind.rawValue) data is real-valued")
            }
            likelihood = .categorical(groupSize: 3)
        }
        if data.kind == .ternaryOperations, likelihoodName != "categorical" {
            throw object.error(at: "likelihood", "ternary_operations are class indices; use the categorical likelihood, not \"\(likelihoodName)\"")
        }
        let activationNames = Activation.allCases.map(\.rawValue)
        let activation = Activation(rawValue: try object.node("activation")?.choice(activationNames, what: "activation") ?? "relu")!
        try object.finish(context: "model section")
        return ModelSettings(kind: kind, hiddenSizes: hidden, latentSizes: latentSizes, likelihood: likelihood, activation: activation)
    }

    static func parseTrainingSettings(_ object: ConfigObject, numEpochs: Int, seed: UInt64?) throws(ConfigError) -> TrainingSettings {
        func positiveInteger(_ key: String, _ fallback: Int) throws(ConfigError) -> Int {
            guard let node = object.node(key) else { return fallback }
            let value = try node.integer()
            if value < 1 { throw node.error("must be at least 1, got \(node.value.briefDescription)") }
            return value
        }
        let batchSize = try positiveInteger("batch_size", 128)
        let checkpointEvery = try positiveInteger("checkpoint_every", 10)
        let maximumSkips = try positiveInteger("max_consecutive_skipped_steps", 10)
        let granularityNames = TrainingSettings.Granularity.allCases.map(\.rawValue)
        let granularity = TrainingSettings.Granularity(rawValue: try object.node("beta_granularity")?.choice(granularityNames, what: "beta_granularity") ?? "epoch")!
        var clip: Double? = 1.0
        if let node = object.node("grad_clip_norm") {
            if case .null = node.value.kind {
                clip = nil
            } else {
                let value = try node.number()
                if value <= 0 { throw node.error("must be greater than 0 (or null for no clipping), got \(node.value.briefDescription)") }
                clip = value
            }
        }
        var seedValue: UInt64 = 0
        if let node = object.node("seed") {
            let value = try node.integer()
            if value < 0 { throw node.error("must be ≥ 0, got \(node.value.briefDescription)") }
            seedValue = UInt64(value)
        }
        if let seed { seedValue = seed }
        var freeBits: FreeBits?
        if let node = object.node("free_bits") {
            switch node.value.kind {
            case .number:
                let lambda = try node.number()
                if lambda < 0 { throw node.error("must be ≥ 0 nats, got \(node.value.briefDescription)") }
                freeBits = FreeBits(lambda: lambda)
            case .null:
                freeBits = nil
            default:
                let fb = try node.object()
                let lambdaNode = try fb.required("lambda", "the KL floor in nats")
                let lambda = try lambdaNode.number()
                if lambda < 0 { throw lambdaNode.error("must be ≥ 0 nats, got \(lambdaNode.value.briefDescription)") }
                let names = FreeBits.Variant.allCases.map(\.rawValue)
                let variant = FreeBits.Variant(rawValue: try fb.node("variant")?.choice(names, what: "free_bits variant") ?? "per_dimension")!
                try fb.finish(context: "free_bits")
                freeBits = FreeBits(lambda: lambda, variant: variant)
            }
        }
        let optimizer = try parseOptimizer(object.node("optimizer"))
        var capacity: CapacityAnnealing?
        if let node = object.node("capacity") {
            let c = try node.object()
            let gammaNode = try c.required("gamma", "the weight γ on |KL − C|, e.g. 1000")
            let gamma = try gammaNode.number()
            if gamma <= 0 { throw gammaNode.error("must be greater than 0, got \(gammaNode.value.briefDescription)") }
            let schedule = try Schedule(json: try c.required("schedule", "the capacity C in nats over training, {\"type\": \"linear\", \"max_beta\": 25, \"warmup_epochs\": 100}"),
                                        numEpochs: numEpochs)
            try c.finish(context: "capacity")
            if object.contains("beta_scheduler_type") {
                throw object.error(at: "capacity", "capacity annealing replaces the β schedule (loss = reconstruction + γ·|KL − C|); give capacity or beta_scheduler_type, not both")
            }
            if freeBits != nil { throw object.error(at: "capacity", "capacity annealing and free_bits both shape the KL penalty; give one") }
            capacity = CapacityAnnealing(gamma: gamma, schedule: schedule)
        }
        return TrainingSettings(numEpochs: numEpochs, batchSize: batchSize, optimizer: optimizer, betaGranularity: granularity,
                                freeBits: freeBits, gradientClipNorm: clip, seed: seedValue, checkpointEvery: checkpointEvery,
                                maximumConsecutiveSkips: maximumSkips, capacity: capacity)
    }

    static func parseOptimizer(_ node: ConfigNode?) throws(ConfigError) -> OptimizerConfiguration {
        guard let node else { return .adam() }
        let object = try node.object()
        let type = try object.node("type")?.choice(["adam", "adamw", "sgd"], what: "optimizer type") ?? "adam"
        func number(_ key: String, _ fallback: Double, range: ClosedRange<Double>) throws(ConfigError) -> Double {
            guard let node = object.node(key) else { return fallback }
            let value = try node.number()
            if !range.contains(value) { throw node.error("must be in [\(range.lowerBound), \(range.upperBound)], got \(node.value.briefDescription)") }
            return value
        }
        let result: OptimizerConfiguration
        switch type {
        case "sgd":
            result = .sgd(momentum: try number("momentum", 0, range: 0...1), dampening: try number("dampening", 0, range: 0...1),
                          nesterov: try object.bool("nesterov") ?? false, weightDecay: try number("weight_decay", 0, range: 0...1))
        default:
            var betas = (0.9, 0.999)
            if let node = object.node("betas") {
                let values = try node.array()
                guard values.count == 2 else { throw node.error("betas is a pair [beta1, beta2], got \(values.count) values") }
                betas = (try values[0].number(), try values[1].number())
                for (index, beta) in [betas.0, betas.1].enumerated() where !(beta >= 0 && beta < 1) {
                    throw values[index].error("must be in [0, 1), got \(beta)")
                }
            }
            let epsilon = try number("eps", 1e-8, range: 0...1)
            let decay = try number("weight_decay", type == "adamw" ? 0.01 : 0, range: 0...1)
            result = type == "adam" ? .adam(beta1: betas.0, beta2: betas.1, epsilon: epsilon, weightDecay: decay)
                : .adamW(beta1: betas.0, beta2: betas.1, epsilon: epsilon, weightDecay: decay)
        }
        try object.finish(context: "\(type) optimizer")
        return result
    }

    /// A β schedule must name exactly the model's KL terms, or be a single schedule (applied to every term).
    static func checkTerms(_ beta: KLWeightSchedule, model: ModelSettings, training: ConfigObject) throws(ConfigError) {
        guard beta.layout != .single else { return }
        let scheduled = beta.terms.map(\.name), expected = model.kind.klTermNames
        if scheduled != expected {
            let key = training.contains("hierarchical_beta_config") ? "hierarchical_beta_config" : "beta_scheduler_params"
            throw training.error(at: key, "the β schedule names KL terms \(scheduled.joined(separator: ", ")), but the \(model.kind.rawValue) model's terms are \(expected.joined(separator: ", "))\(model.kind == .hierarchicalCVAE ? "" : "; a hierarchical schedule needs model.type \"hierarchical_cvae\" (or use_hierarchical_model: true)")")
        }
    }

    /// The resolved configuration as JSON (written to the run folder).
    public var json: JSONValue {
        var dataMembers: [(String, JSONValue)] = [("source", .string(data.kind.rawValue))]
        if let path = data.path { dataMembers.append(("path", .string(path))) }
        if let labels = data.labelsPath { dataMembers.append(("labels_path", .string(labels))) }
        if let column = data.labelColumn { dataMembers.append(("label_column", .string(column))) }
        dataMembers.append(("validation_fraction", .number(validationFraction)))
        var modelMembers: [(String, JSONValue)] = [
            ("type", .string(model.kind.rawValue)), ("hidden_sizes", .array(model.hiddenSizes.map { .number($0) })),
        ]
        if model.kind == .hierarchicalCVAE {
            modelMembers += [("global_latent_dim", .number(model.latentSizes[0])), ("local_latent_dim", .number(model.latentSizes[1]))]
        } else {
            modelMembers.append(("latent_dim", .number(model.latentSizes[0])))
        }
        modelMembers.append(("likelihood", .string(model.likelihood.name)))
        if case .gaussian(let learned) = model.likelihood { modelMembers.append(("gaussian_variance", .string(learned ? "learned" : "fixed"))) }
        modelMembers.append(("activation", .string(model.activation.rawValue)))
        var trainingMembers = (schedules.trainingJSON.members ?? []).map { ($0.key, $0.value) }
        trainingMembers += [
            ("batch_size", .number(training.batchSize)), ("optimizer", optimizerJSON), ("beta_granularity", .string(training.betaGranularity.rawValue)),
            ("grad_clip_norm", training.gradientClipNorm.map { .number($0) } ?? .null), ("seed", .number(Int(training.seed))),
            ("checkpoint_every", .number(training.checkpointEvery)), ("max_consecutive_skipped_steps", .number(training.maximumConsecutiveSkips)),
        ]
        if let capacity = training.capacity {
            trainingMembers.append(("capacity", .object([("gamma", .number(capacity.gamma)), ("schedule", capacity.schedule.json)])))
        }
        if let freeBits = training.freeBits {
            trainingMembers.append(("free_bits", .object([("lambda", .number(freeBits.lambda)), ("variant", .string(freeBits.variant.rawValue))])))
        }
        var members: [(String, JSONValue)] = [("data", .object(dataMembers)), ("model", .object(modelMembers)), ("training", .object(trainingMembers))]
        members.append(("logging", .object([("tensorboard", .bool(logging.tensorBoard)), ("log_every_n_batches", .number(logging.logEveryNBatches))])))
        return .object(members)
    }

    var optimizerJSON: JSONValue {
        switch training.optimizer {
        case .sgd(let momentum, let dampening, let nesterov, let weightDecay):
            return .object([("type", .string("sgd")), ("momentum", .number(momentum)), ("dampening", .number(dampening)),
                            ("nesterov", .bool(nesterov)), ("weight_decay", .number(weightDecay))])
        case .adam(let beta1, let beta2, let epsilon, let weightDecay), .adamW(let beta1, let beta2, let epsilon, let weightDecay):
            return .object([("type", .string(training.optimizer.name)), ("betas", .array([.number(beta1), .number(beta2)])),
                            ("eps", .number(epsilon)), ("weight_decay", .number(weightDecay))])
        }
    }
}
