import Data
import Foundation
import JSONConfig
import Layers
import Models
import Schedules

/// A whole run: data, model, quantities (schedules and controllers), loss shaping, sampler and training
/// settings, read from the seed's JSON extended with `data` and `model` sections:
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
    /// `data.split_seed`: the seed of the train/validation split, when it is not the training seed, so that
    /// runs with different model seeds can hold out the same examples (or one seed, different splits).
    public var splitSeed: UInt64?
    /// Whether config.json says `data.standardize` even when false (a run's resolved config does).
    public var standardizeStated = false
    /// Whether the β schedule is the recommended default (the config named none), which a run may fit to its
    /// number of steps (`fittingDefaultBeta`). Not written to config.json, which names the schedule it fitted.
    public var betaIsDefault = false
    public var model: ModelConfiguration
    /// One model of all the data, or one per class or group (`model.granularity`).
    public var granularity: GeneratorGranularity = .unified
    /// `data.classes`: only the examples with these labels (a per-class or per-group generator's share).
    public var dataClasses: [Int]?
    public var schedules: ScheduleConfiguration
    /// Every quantity the step reads, with its schedule or controller.
    public var quantities: QuantityPlan
    /// The shaping of the KL terms (free bits, capacity annealing), when configured.
    public var klShaping: LossShapingDefinition.Setup?
    public var sampler: any Sampler
    /// `training.gradient_balancing`: scales for named groups of loss terms, or nil.
    public var gradientBalancing: GradientBalancing?
    public var training: TrainingSettings
    public var logging: LoggingSettings
    /// The config's top-level `description` (recorded in the run's config.json).
    public var description: String?
    /// The file the configuration came from.
    public var file: String?

    /// Training keys read here rather than by `ScheduleConfiguration`.
    public static var trainingKeys: [String] {
        ["batch_size", "optimizer", "grad_clip_norm", "seed", "checkpoint_every", "checkpoint_every_minutes", "checkpoint_every_steps", "steps_per_epoch", "max_consecutive_skipped_steps", "sampler", "early_stopping", "gradient_balancing", "keep_best"] + LossShapingRegistry.keys
    }

    /// Reads `path`; `epochs` and `seed` (command-line overrides) replace the config's values before anything
    /// depends on them. Relative data paths are resolved against the config file's directory.
    public static func load(file path: String, epochs: Int? = nil, seed: UInt64? = nil) throws(ConfigError) -> RunConfiguration {
        try parse(try ConfigFile.load(path), file: path, epochs: epochs, seed: seed)
    }

    public static func parse(_ document: JSONValue, file: String? = nil, epochs: Int? = nil, seed: UInt64? = nil) throws(ConfigError) -> RunConfiguration {
        let root = try ConfigObject(document, file: file)
        if !root.contains("data"), let description = try root.string("description") {
            throw root.error("this config has no data section, so there is nothing to train; its description says: \(description)")
        }
        let dataObject = try root.required("data", "where the examples come from, {\"source\": \"ternary_operations\"}").object()
        let modelObject = try root.section("model")
        let trainingObject = try root.section("training")
        let logging = try parseLogging(try root.section("logging"))
        let description = try root.string("description")
        try root.finish(context: "run config (top level)")

        // Data.
        let baseDirectory = file.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path } ?? FileManager.default.currentDirectoryPath
        let dataClasses = try dataObject.node("classes").map { node throws(ConfigError) -> [Int] in
            var classes: [Int] = []
            for element in try node.array() {
                let label = try element.integer(minimum: 0)
                if label < 0 { throw element.error("a class is a label ≥ 0, got \(label)") }
                classes.append(label)
            }
            if classes.isEmpty { throw node.error("needs at least one class") }
            return classes
        }
        let (data, validationFraction, splitSeed) = try parseData(dataObject, baseDirectory: baseDirectory)

        // Training: the schedules read the run length (num_epochs, the override, or the trainer's default) first,
        // since ratios resolve against it.
        let schedules = try ScheduleConfiguration.parseTraining(trainingObject, numEpochs: epochs, defaultEpochs: TrainingSettings.defaultEpochs,
                                                                allowing: trainingKeys)
        let numEpochs = schedules.numEpochs!
        let training = try parseTrainingSettings(trainingObject, numEpochs: numEpochs, seed: seed)

        // The KL shaping: at most one.
        var klShaping: LossShapingDefinition.Setup?
        var shapingKey: String?
        let reader = ScheduleReader(numEpochs: numEpochs)
        for definition in LossShapingRegistry.definitions {
            guard let node = trainingObject.node(definition.key), let setup = try definition.read(node, reader) else { continue }
            if let shapingKey {
                throw trainingObject.error(at: definition.key, "\(shapingKey) and \(definition.key) both shape the KL penalty; give one")
            }
            if setup.replacesKLWeight, trainingObject.contains("beta_scheduler_type") {
                throw trainingObject.error(at: definition.key, "\(definition.key) replaces the β schedule (\(setup.shaping.summary)); give \(definition.key) or beta_scheduler_type, not both")
            }
            klShaping = setup
            shapingKey = definition.key
        }
        let sampler = try trainingObject.node("sampler").map(SamplerRegistry.read) ?? ShuffledSampler()

        // Model, then the checks that tie it to the schedule and the data.
        let granularity = try GeneratorGranularity.read(modelObject)
        let defaults = modelDefaults(data.kind)
        var modelDefaults = ModelConfiguration.Defaults(
            typeName: schedules.useHierarchicalModel == true ? HierarchicalCVAE.definition.name : VAE.definition.name,
            hiddenSizes: defaults.hidden, latentSize: defaults.latent, likelihood: defaults.likelihood,
            categoricalData: data.kind == .ternaryOperations, dataName: data.kind.rawValue)
        modelDefaults.likelihoodFromData = data.path != nil
        let model = try ModelConfiguration.parse(modelObject, defaults: modelDefaults)
        if let useHierarchical = schedules.useHierarchicalModel, modelObject.contains("type"),
           useHierarchical != (model.specification.typeName == HierarchicalCVAE.definition.name) {
            throw trainingObject.error(at: "use_hierarchical_model", "use_hierarchical_model is \(useHierarchical) but model.type is \"\(model.specification.typeName)\"; they contradict each other (drop one)")
        }
        if klShaping?.replacesKLWeight != true { try checkTerms(schedules.beta, model: model, training: trainingObject) }
        try checkLossWeights(schedules, model: model, training: trainingObject)

        var quantities = try schedules.quantities { plan in
            if plan.index(of: "lr") == nil {
                plan.append(Quantity(name: "lr", role: .learningRate, schedule: .constant(ConstantSchedule(value: LearningRate.defaultBase)), evaluation: .step))
            }
            if let klShaping {
                if klShaping.replacesKLWeight { plan.removeAll(role: .klWeight) }
                for quantity in klShaping.quantities { plan.append(quantity) }
            }
            // The model's own quantities, at their defaults unless phases or controllers drive them.
            for quantity in model.specification.quantities where plan.index(of: quantity.name) == nil {
                plan.append(Quantity(name: quantity.name, role: .model, schedule: .constant(ConstantSchedule(value: quantity.defaultValue)), evaluation: .epoch))
            }
        }
        try checkMeasurements(schedules, model: model)
        try checkPhases(schedules, model: model, klShaping: klShaping)
        // Phases that give every KL term its own weight leave the shared β unused: it is not a quantity of the run.
        let terms = model.specification.klTerms.map(\.name)
        if quantities.index(of: "beta") != nil, terms.allSatisfy({ quantities.index(of: Quantity.klWeightName($0)) != nil }) {
            quantities.remove(named: "beta")
        }
        if granularity == .perClass && model.specification.needsLabels {
            throw modelObject.error(at: "granularity", "a per_class generator sees one class, so a \(model.specification.typeName) has nothing to condition on; use model.type \"vae\"")
        }
        var configuration = RunConfiguration(data: data, validationFraction: validationFraction, model: model, schedules: schedules, quantities: quantities,
                                             klShaping: klShaping, sampler: sampler, training: training, logging: logging, description: description, file: file)
        configuration.granularity = granularity
        configuration.dataClasses = dataClasses
        configuration.splitSeed = splitSeed
        configuration.standardizeStated = dataObject.contains("standardize")
        configuration.betaIsDefault = !trainingObject.contains("beta_scheduler_type")
        configuration.gradientBalancing = try trainingObject.node("gradient_balancing").map { node throws(ConfigError) in
            try GradientBalancing.read(node, termNames: model.specification.termNames)
        }
        return configuration
    }

    /// The data section of the config file at `path` (a run config, or a file that has just a `data` section),
    /// for evaluating a model on other data.
    public static func dataSource(inConfig path: String) throws(ConfigError) -> DataSource {
        let root = try ConfigObject(try ConfigFile.load(path), file: path)
        let data = try root.required("data", "the data section, {\"source\": …, \"path\": …}").object()
        let baseDirectory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try parseData(data, baseDirectory: baseDirectory).0
    }

    // MARK: Sections

    static func parseLogging(_ object: ConfigObject) throws(ConfigError) -> LoggingSettings {
        var settings = LoggingSettings()
        if let flag = try object.bool("tensorboard") { settings.tensorBoard = flag }
        if let node = object.node("log_every_n_batches") {
            let value = try node.integer(minimum: 1)
            if value < 1 { throw node.error("must be at least 1, got \(node.value.briefDescription)") }
            settings.logEveryNBatches = value
        }
        if let node = object.node("disentanglement_every"), node.value != .null {
            let value = try node.integer(minimum: 1)
            if value < 1 { throw node.error("must be at least 1 (epochs between the scores; leave the key out for none), got \(node.value.briefDescription)") }
            settings.disentanglementEvery = value
        }
        if let flag = try object.bool("disentanglement_at_end") { settings.disentanglementAtEnd = flag }
        try object.finish(context: "logging section")
        return settings
    }

    static func parseData(_ object: ConfigObject, baseDirectory: String) throws(ConfigError) -> (DataSource, Double, UInt64?) {
        let names = DataSource.Kind.allCases.map(\.rawValue)
        let kind: DataSource.Kind
        if let node = object.node("source") {
            kind = DataSource.Kind(rawValue: try node.choice(names, what: "data source"))!
        } else if let path = try object.string("path") {
            // A file's source follows from its extension (a folder is a png_folder).
            let absolute = path.hasPrefix("/") ? path : URL(fileURLWithPath: baseDirectory).appendingPathComponent(path).path + (path.hasSuffix("/") ? "/" : "")
            if path.lowercased().hasSuffix(".png") {
                throw object.error(at: "path", "names one PNG file \(MessageText.quoted(path)); data.path takes a folder of PNG images (one subfolder per class, or the images themselves)")
            }
            guard let claimed = DataSource.Kind.claiming(path: absolute) else {
                throw object.error(at: "path", "cannot tell the file's format from its name \(MessageText.quoted(path)); give data.source: \(DataSource.Kind.allCases.filter { !$0.definition.isBuiltIn }.map(\.rawValue).joined(separator: ", "))")
            }
            kind = claimed
        } else {
            throw object.missing(["source"], "missing required key \"source\": one of \(names.joined(separator: ", ")), or a path whose extension names its format")
        }
        func path(_ key: String) throws(ConfigError) -> String? {
            guard let node = object.node(key) else { return nil }
            let text = try node.string()
            return text.hasPrefix("/") ? text : URL(fileURLWithPath: baseDirectory).appendingPathComponent(text).path
        }
        var source = DataSource(kind: kind, path: try path("path"), labelsPath: try path("labels_path"), difficultyPath: try path("difficulty_path"))
        source.validationPath = try path("validation_path")
        source.validationLabelsPath = try path("validation_labels_path")
        source.testPath = try path("test_path")
        source.testLabelsPath = try path("test_labels_path")
        source.standardize = try object.bool("standardize") ?? false
        source.factorsPath = try path("factors_path")
        if let node = object.node("layout") {
            source.layout = try node.choice(["nchw", "nhwc"], what: "layout")
            if kind != .npy { throw node.error("data.layout settles a four-dimensional .npy array's channels; the \(kind.rawValue) source has none") }
        }
        if let node = object.node("factor_names") {
            let names = try node.array().map { element throws(ConfigError) in try element.string() }
            guard !names.isEmpty, Set(names).count == names.count, names.allSatisfy({ !$0.isEmpty && !$0.contains(":") }) else {
                throw node.error("must be the factors' names, distinct, non-empty and without ':'; got \(node.value.briefDescription)")
            }
            if !object.contains("factors_path") { throw node.error("factor_names names the columns of data.factors_path, which is not given") }
            source.factorNames = names
        }
        if object.contains("factors_path"), object.contains("validation_path") {
            throw object.error(at: "factors_path", "a separate validation file cannot be combined with data.factors_path yet: the factors would cover the training file only; hold out validation_fraction of one file instead")
        }
        if let node = object.node("image_shape") {
            let values = try node.array().map { element throws(ConfigError) in try element.integer() }
            guard values.count == 2, values.allSatisfy({ $0 >= 1 && $0 <= 1 << 20 }) else {
                throw node.error("must be [height, width], two whole numbers from 1 to 1048576; got \(node.value.briefDescription)")
            }
            source.imageShape = values
        }
        if let node = object.node("label_column") {
            switch node.value.kind {
            case .number: source.labelColumn = String(try node.integer())
            default: source.labelColumn = try node.string()
            }
        }
        let builtIn = kind.definition.isBuiltIn
        if kind == .dsprites {
            if let node = object.node("resolution") {
                let value = try node.integer()
                guard let resolution = SpriteImages.resolutions.first(where: { $0 == value }) else {
                    throw node.error("must be one of \(SpriteImages.resolutions.map(String.init).joined(separator: ", ")) (pixels a side), got \(node.value.briefDescription)")
                }
                source.resolution = resolution
            }
            if let node = object.node("subset") {
                let value = try node.integer(minimum: 1)
                guard value >= 1 && value <= SpriteImages.count else {
                    throw node.error("must be a number of images from 1 to \(SpriteImages.count), got \(node.value.briefDescription)")
                }
                source.subset = value
            }
            if let node = object.node("subset_seed") {
                if !object.contains("subset") { throw node.error("subset_seed seeds data.subset, which is not given") }
                source.subsetSeed = UInt64(try node.nonNegativeInteger())
            }
        } else {
            for key in ["resolution", "subset", "subset_seed"] where object.contains(key) {
                throw object.error(at: key, "\(key) is for the built-in dsprites data set, not \(kind.rawValue)")
            }
        }
        if builtIn {
            for key in ["path", "labels_path", "label_column", "difficulty_path", "validation_path", "validation_labels_path", "test_path", "test_labels_path", "standardize", "image_shape", "factors_path"] where object.contains(key) {
                throw object.error(at: key, "the built-in \(kind.rawValue) data set takes no \(key)")
            }
        } else {
            if source.path == nil { throw object.error("a \(kind.rawValue) source needs \"path\", the data file") }
            if kind == .csv, object.contains("labels_path") { throw object.error(at: "labels_path", "a CSV source takes its labels from label_column") }
            if kind != .csv, object.contains("label_column") { throw object.error(at: "label_column", kind == .pngFolder ? "a png_folder takes its labels from its class folders" : "label_column is for CSV; give labels_path for \(kind.rawValue) data") }
            if kind == .pngFolder {
                for key in ["labels_path", "validation_labels_path", "test_labels_path"] where object.contains(key) {
                    throw object.error(at: key, "a png_folder takes its labels from its class folders (one subfolder per class), not \(key)")
                }
            }
            // A separate validation or test file: its labels come the same way as the training file's.
            for (file, labels) in [("validation_path", "validation_labels_path"), ("test_path", "test_labels_path")] {
                if object.contains(labels) && !object.contains(file) { throw object.error(at: labels, "\(labels) needs \(file), the file whose labels they are") }
                if kind == .csv, object.contains(labels) { throw object.error(at: labels, "a CSV file takes its labels from label_column, the same column in every file") }
                if kind != .csv, kind != .pngFolder, object.contains(file), object.contains("labels_path") != object.contains(labels) {
                    throw object.error(at: file, object.contains("labels_path") ? "the training data has labels (labels_path), so \(file) needs \(labels) too" : "\(labels) gives labels, but the training data has none (labels_path)")
                }
            }
            if object.contains("validation_path"), object.contains("validation_fraction") {
                throw object.error(at: "validation_fraction", "validation_path gives the validation examples, so validation_fraction (a share of the training file to hold out) does not apply; give one of them")
            }
        }
        if let node = object.node("scale") {
            switch node.value.kind {
            case .number:
                let divisor = try node.number()
                if !(divisor > 0 && divisor.isFinite) { throw node.error("must be a positive number to divide by, \"auto\", \"none\" or \"max\"; got \(node.value.briefDescription)") }
                source.scale = .divide(divisor)
            default:
                switch try node.choice(["auto", "none", "max"], what: "scale") {
                case "none": source.scale = .none
                case "max": source.scale = .maximum
                default: source.scale = .auto
                }
            }
            if builtIn { throw object.error(at: "scale", "the built-in \(kind.rawValue) data set takes no scale") }
        }
        let fraction = try object.number("validation_fraction", default: source.validationPath == nil ? 0.1 : 0)
        if !(fraction >= 0 && fraction < 1) {
            throw object.error(at: "validation_fraction", "must be in [0, 1), the share of examples held out; got \(fraction)")
        }
        var splitSeed: UInt64?
        if let node = object.node("split_seed") {
            let value = try node.nonNegativeInteger()
            if source.validationPath != nil { throw node.error("validation_path gives the validation examples, so there is no split to seed") }
            splitSeed = UInt64(value)
        }
        try object.finish(context: "data section")
        return (source, fraction, splitSeed)
    }

    /// Hidden sizes, latent size and likelihood suited to each data source.
    public static func modelDefaults(_ source: DataSource.Kind) -> (hidden: [Int], latent: Int, likelihood: String) {
        source.definition.modelDefaults
    }

    static func parseTrainingSettings(_ object: ConfigObject, numEpochs: Int, seed: UInt64?) throws(ConfigError) -> TrainingSettings {
        func positiveInteger(_ key: String, _ fallback: Int) throws(ConfigError) -> Int {
            guard let node = object.node(key) else { return fallback }
            let value = try node.integer(minimum: 1)
            if value < 1 { throw node.error("must be at least 1, got \(node.value.briefDescription)") }
            return value
        }
        let batchSize = try positiveInteger("batch_size", 128)
        let checkpointEvery = try positiveInteger("checkpoint_every", TrainingSettings.defaultCheckpointEvery)
        var checkpointMinutes: Double? = TrainingSettings.defaultCheckpointMinutes
        if let node = object.node("checkpoint_every_minutes") {
            if case .null = node.value.kind {
                checkpointMinutes = nil
            } else {
                let value = try node.number()
                if !(value > 0) || value > 1e6 { throw node.error("must be a number of minutes greater than 0 and at most 1000000 (or null for no checkpoints inside epochs), got \(node.value.briefDescription)") }
                checkpointMinutes = value
            }
        }
        let maximumSkips = try positiveInteger("max_consecutive_skipped_steps", 10)
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
        if let node = object.node("seed") { seedValue = UInt64(try node.nonNegativeInteger()) }
        if let seed { seedValue = seed }
        let optimizer = try parseOptimizer(object.node("optimizer"))
        let earlyStopping = try object.node("early_stopping").flatMap(EarlyStopping.read)
        let keepBest = try object.node("keep_best").map(KeepBestPolicy.read)
        var settings = TrainingSettings(numEpochs: numEpochs, batchSize: batchSize, optimizer: optimizer, gradientClipNorm: clip, seed: seedValue,
                                        checkpointEvery: checkpointEvery, maximumConsecutiveSkips: maximumSkips, earlyStopping: earlyStopping)
        if let keepBest { settings.keepBest = keepBest }
        settings.checkpointEveryMinutes = checkpointMinutes
        if let node = object.node("checkpoint_every_steps"), node.value.kind != .null {
            let value = try node.integer(minimum: 1)
            if value < 1 { throw node.error("must be at least 1 (or null for none), got \(node.value.briefDescription)") }
            settings.checkpointEverySteps = value
        }
        if let node = object.node("steps_per_epoch"), node.value.kind != .null {
            let value = try node.integer(minimum: 1)
            if value < 1 { throw node.error("must be at least 1 (or null for one pass over the training examples), got \(node.value.briefDescription)") }
            settings.stepsPerEpoch = value
        }
        return settings
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
    static func checkTerms(_ beta: KLWeightSchedule, model: ModelConfiguration, training: ConfigObject) throws(ConfigError) {
        guard beta.layout != .single else { return }
        let scheduled = beta.terms.map(\.name), expected = model.specification.klTerms.map(\.name)
        if scheduled != expected {
            let key = training.contains("hierarchical_beta_config") ? "hierarchical_beta_config" : "beta_scheduler_params"
            let isHierarchical = model.specification.typeName == HierarchicalCVAE.definition.name
            throw training.error(at: key, "the β schedule names KL terms \(scheduled.joined(separator: ", ")), but the \(model.specification.typeName) model's terms are \(expected.joined(separator: ", "))\(isHierarchical || scheduled != ["global", "local"] ? "" : "; a hierarchical schedule needs model.type \"hierarchical_cvae\" (or use_hierarchical_model: true)")")
        }
    }

    /// `loss_weights` may weigh the reconstruction and the model's penalty terms (KL terms are weighed by β).
    static func checkLossWeights(_ schedules: ScheduleConfiguration, model: ModelConfiguration, training: ConfigObject) throws(ConfigError) {
        let allowed = ["reconstruction"] + model.specification.penaltyTerms
        for weight in schedules.lossWeights where !allowed.contains(weight.name) {
            let kl = model.specification.klTerms.map(\.name).contains(weight.name)
            throw training.error(at: "loss_weights", "\(MessageText.quoted(weight.name)) is \(kl ? "a KL term, weighed by the β schedule (\(weight.name)_kl_weight)" : "not a loss term of the \(model.specification.typeName) model"); loss_weights takes \(allowed.joined(separator: ", "))")
        }
    }

    /// Phases may set the model's KL weights (`beta`, `<term>_kl_weight`), `lr`, `temperature`, `capacity` (with
    /// capacity annealing) and loss weights of its loss terms.
    static func checkPhases(_ schedules: ScheduleConfiguration, model: ModelConfiguration, klShaping: LossShapingDefinition.Setup?) throws(ConfigError) {
        guard let phases = schedules.phases, let node = phases.node else { return }
        let kl = model.specification.klTerms.map(\.name)
        let lossTerms = ["reconstruction"] + model.specification.penaltyTerms
        var allowed = ["lr", "temperature"] + lossTerms.map(Quantity.lossWeightName) + model.specification.quantities.map(\.name)
        if klShaping?.replacesKLWeight == true { allowed.append("capacity") } else { allowed += ["beta"] + kl.map(Quantity.klWeightName) }
        for (index, phase) in phases.phases.enumerated() {
            for quantity in phase.quantities where !allowed.contains(quantity.name) {
                let keyPath = node.path.appending(index: index).appending("quantities").appending(quantity.name)
                let what = quantity.name.hasSuffix("_kl_weight") ? "the \(model.specification.typeName) model has no KL term \(MessageText.quoted(String(quantity.name.dropLast("_kl_weight".count))))"
                    : "\(MessageText.quoted(quantity.name)) is not a quantity of this run"
                throw ConfigError(file: node.file, position: node.value.position, keyPath: keyPath, message: "\(what); phases may set \(allowed.joined(separator: ", "))")
            }
        }
    }

    /// The measurements a run makes each step, which controllers may react to.
    public static func measurementNames(_ model: ModelConfiguration) -> [String] {
        ["loss", "reconstruction", "kl"] + model.specification.klTerms.map { "kl.\($0.name)" } + model.specification.penaltyTerms + model.specification.measurementNames
    }

    /// Every controller must react to something the run measures.
    static func checkMeasurements(_ schedules: ScheduleConfiguration, model: ModelConfiguration) throws(ConfigError) {
        let names = measurementNames(model)
        for binding in schedules.controllers where !names.contains(binding.controller.measurement) {
            throw ConfigError(file: binding.node.file, position: binding.node.value.position, keyPath: binding.node.path,
                              message: "the controller reacts to \(MessageText.quoted(binding.controller.measurement)), which this run does not measure; measurements: \(names.joined(separator: ", "))")
        }
    }

    /// The train/validation split of `dataset` (the same for the trainer, evaluation and sampling). A subset
    /// (one generator's classes) takes the whole data set's split restricted to its examples, so a per-class
    /// run holds out exactly the examples a unified run with the same seed holds out.
    /// With a separate validation file the split is the one the files make (`Dataset.designatedValidation`).
    public func split(_ dataset: Dataset) throws(DataError) -> DataSplit {
        let count = dataset.source?.count ?? dataset.count
        let whole: DataSplit
        if let designated = dataset.designatedValidation {
            whole = DataSplit(training: Array(0..<designated.lowerBound) + Array(designated.upperBound..<count), validation: Array(designated))
        } else {
            whole = try DataSplit(count: count, validationFraction: validationFraction, seed: splitSeed ?? training.seed)
        }
        guard let source = dataset.source else { return whole }
        return try whole.restricted(to: source.rows)
    }

    /// `dataset` as training reads it: standardised with its training examples' statistics when
    /// `data.standardize` is set (or with `fitted`, the statistics a run saved), unchanged otherwise.
    public func prepared(_ dataset: Dataset, fitted: FeatureStandardization? = nil) throws(DataError) -> Dataset {
        guard data.standardize, dataset.kind == .continuous else { return dataset }
        if let fitted { return try fitted.applied(to: dataset) }
        let training = try split(dataset).training
        let standardization = FeatureStandardization(fitting: dataset, rows: training)
        var result = try standardization.applied(to: dataset)
        let constant = standardization.constantFeatures(in: dataset, rows: training)
        var note = "features standardised with the mean and standard deviation of the \(training.count) training examples (data.standardize)"
        if constant > 0 { note += "; \(constant) feature\(constant == 1 ? " is" : "s are") constant over them and only centred" }
        if standardization.flooredFeatures > 0 {
            let count = standardization.flooredFeatures
            note += "; \(count) nearly constant feature\(count == 1 ? "" : "s") divided by a tenth of \(count == 1 ? "its" : "their") largest deviation from the mean instead of \(count == 1 ? "its" : "their") σ, so no value exceeds ±10 (unfloored, one would reach \(String(format: "%.3g", standardization.largestUnflooredValue)))"
        }
        if dataset.scaleDivisor != nil || dataset.isInUnitInterval {
            note += "; these look like pixels in [0, 1], which usually fit better unstandardised under a Bernoulli likelihood (data.standardize: false)"
        }
        result.notes.append(note)
        return result
    }

    /// A check of the first rows of a data file against the likelihood the config names, run by the reader
    /// before the rest of the file is read: a Bernoulli likelihood on values outside [0, 1] fails after a moment,
    /// not after a long load. Nil when there is nothing to check (the likelihood follows the data, or the values
    /// are standardised or divided by their maximum first).
    public var previewCheck: ((DataPreview) throws(DataError) -> Void)? {
        guard !model.likelihoodFromData, model.likelihood == .bernoulli, !data.standardize else { return nil }
        let scale = data.scale
        return { preview throws(DataError) in
            guard let low = preview.minimum, let high = preview.maximum else { return }
            var divisor = 1.0
            switch scale {
            // uint8 under "auto" ends in [0, 1] whatever the rest holds (divided by 255, or by its maximum), and
            // so does data of whole numbers from 0 to 255, which the first rows can only suggest.
            case .auto: if preview.elementType == .uint8 || DataSource.isWholeNumbersUpTo255(preview.values) { return }
            case .none: break
            case .maximum: return
            case .divide(let value): divisor = value
            }
            if low / divisor < 0 || high / divisor > 1 {
                throw DataError(file: preview.file, "its first \(preview.rows) rows already hold values in [\(String(format: "%g", low / divisor)), \(String(format: "%g", high / divisor))]\(divisor == 1 ? "" : " (after dividing by \(String(format: "%g", divisor)))"), but model.likelihood bernoulli needs [0, 1]; use likelihood \"gaussian\" (or leave it out to choose from the data), or scale the data (data.scale, data.standardize)")
            }
        }
    }

    /// This configuration with the default β (4 ramp cycles over the run) fitted to a run of `stepsPerEpoch`
    /// steps an epoch: with fewer than 8 steps a cycle, every step of a cycle would sit on its rising edge or
    /// its start (a 2-epoch run of 1 step an epoch has half-step cycles and β = 0 throughout), so the run gets as
    /// many cycles as fit 8 steps each, at least one. Returns nil when the config named a β schedule (or a
    /// shaping or phases replace it), or when 4 cycles fit; else the new configuration (re-read from its JSON,
    /// so config.json records the cycles the run uses) and a line that says so.
    public func fittingDefaultBeta(stepsPerEpoch: Int) -> (RunConfiguration, String)? {
        guard betaIsDefault, klShaping?.replacesKLWeight != true, schedules.phases == nil, quantities.index(of: "beta") != nil else { return nil }
        let steps = training.numEpochs * stepsPerEpoch
        let cycles = KLWeightSchedule.defaultCycles(forSteps: steps)
        guard cycles < KLWeightSchedule.defaultCycles else { return nil }
        var document = json
        guard case .object(var members) = document.kind, let index = members.firstIndex(where: { $0.key == "training" }),
              case .object(var trainingMembers) = members[index].value.kind else { return nil }
        trainingMembers.removeAll { $0.key == "beta_scheduler_type" || $0.key == "beta_scheduler_params" }
        trainingMembers.append(JSONMember(key: "beta_scheduler_type", value: .string("cyclical")))
        trainingMembers.append(JSONMember(key: "beta_scheduler_params", value: .object([
            ("cycle_length", .number(Double(training.numEpochs) / Double(cycles))), ("min_beta", .number(0)), ("max_beta", .number(1)),
            ("wave_type", .string("ramp")), ("ratio", .number(0.5))])))
        members[index] = JSONMember(key: "training", value: JSONValue(.object(trainingMembers)))
        document = JSONValue(.object(members))
        guard var fitted = try? RunConfiguration.parse(document, file: file) else { return nil }
        fitted.model.likelihoodFromData = model.likelihoodFromData
        let line = "β: the default's 4 cycles would be \(String(format: "%g", Double(steps) / 4)) step\(steps == 4 ? "" : "s") each in this run of \(steps) step\(steps == 1 ? "" : "s") (\(training.numEpochs) epoch\(training.numEpochs == 1 ? "" : "s") × \(stepsPerEpoch)), too short to rise; it uses \(cycles) cycle\(cycles == 1 ? "" : "s") of \(String(format: "%g", Double(training.numEpochs) / Double(cycles))) epochs instead (recorded in config.json; give beta_scheduler_type to choose)"
        return (fitted, line)
    }

    /// Chooses the likelihood a config left to the data: Bernoulli when every value is in [0, 1], else a
    /// Gaussian with learned variance. Returns the line that says so, or nil when the config chose.
    public mutating func chooseLikelihood(for dataset: Dataset) -> String? {
        guard model.likelihoodFromData else { return nil }
        model.likelihoodFromData = false
        if dataset.isInUnitInterval {
            model.likelihood = .bernoulli
            let scaled = dataset.scaleDivisor.map { $0 == 1 ? "" : " once divided by \(String(format: "%g", Double($0)))" } ?? ""
            return "likelihood bernoulli, chosen from the data: every value of \(dataset.name) is in [0, 1]\(scaled) (set model.likelihood to choose another)"
        }
        model.likelihood = .gaussian(learnedVariance: true)
        if dataset.standardization != nil {
            return "likelihood gaussian (learned variance), chosen from the data: standardised features are real-valued (set model.likelihood to choose another)"
        }
        return "likelihood gaussian (learned variance), chosen from the data: \(dataset.name) has values outside [0, 1], up to |x| = \(String(format: "%.4g", Double(dataset.maximumMagnitude))) (set model.likelihood to choose another)"
    }

    /// How the KL terms are weighed, for people: the β schedule, or the shaping that replaces it.
    public var weightSummary: String {
        if let klShaping, klShaping.replacesKLWeight { return klShaping.shaping.summary }
        // Phases that give every KL term its own weight: no shared β, one line per term.
        if quantities.index(of: "beta") == nil {
            let weights = quantities.quantities.filter { $0.role == .klWeight }
            if !weights.isEmpty { return weights.map { "\($0.name) \($0.summary)" }.joined(separator: "; ") }
        }
        return schedules.beta.summary
    }

    // MARK: Writing

    /// The resolved configuration as JSON (written to the run folder): reading it back gives the same run.
    public var json: JSONValue {
        var dataMembers: [(String, JSONValue)] = [("source", .string(data.kind.rawValue))]
        if let path = data.path { dataMembers.append(("path", .string(path))) }
        if let labels = data.labelsPath { dataMembers.append(("labels_path", .string(labels))) }
        if let column = data.labelColumn { dataMembers.append(("label_column", .string(column))) }
        if let difficulty = data.difficultyPath { dataMembers.append(("difficulty_path", .string(difficulty))) }
        switch data.scale {
        case .auto: break
        case .none: dataMembers.append(("scale", .string("none")))
        case .maximum: dataMembers.append(("scale", .string("max")))
        case .divide(let divisor): dataMembers.append(("scale", .number(divisor)))
        }
        for (key, value) in [("validation_path", data.validationPath), ("validation_labels_path", data.validationLabelsPath),
                             ("test_path", data.testPath), ("test_labels_path", data.testLabelsPath)] {
            if let value { dataMembers.append((key, .string(value))) }
        }
        if data.standardize || standardizeStated { dataMembers.append(("standardize", .bool(data.standardize))) }
        if let shape = data.imageShape { dataMembers.append(("image_shape", .array(shape.map { .number($0) }))) }
        if let layout = data.layout { dataMembers.append(("layout", .string(layout))) }
        if let factors = data.factorsPath { dataMembers.append(("factors_path", .string(factors))) }
        if let names = data.factorNames { dataMembers.append(("factor_names", .array(names.map { .string($0) }))) }
        if let resolution = data.resolution { dataMembers.append(("resolution", .number(resolution))) }
        if let subset = data.subset { dataMembers.append(("subset", .number(subset))) }
        if let seed = data.subsetSeed { dataMembers.append(("subset_seed", .number(Int(seed)))) }
        if data.validationPath == nil { dataMembers.append(("validation_fraction", .number(validationFraction))) }
        if let splitSeed { dataMembers.append(("split_seed", .number(Int(splitSeed)))) }
        if let dataClasses { dataMembers.append(("classes", .array(dataClasses.map { .number($0) }))) }
        var trainingMembers = schedules.trainingJSONMembers(includingBeta: klShaping?.replacesKLWeight != true)
        if schedules.learningRate == nil, let lr = quantities["lr"] { trainingMembers.append(("learning_rate", .number(lr.schedule.value(at: .epoch(0))))) }
        trainingMembers += [
            ("batch_size", .number(training.batchSize)), ("optimizer", optimizerJSON),
            ("grad_clip_norm", training.gradientClipNorm.map { .number($0) } ?? .null), ("seed", .number(Int(training.seed))),
            ("checkpoint_every", .number(training.checkpointEvery)),
            ("checkpoint_every_minutes", training.checkpointEveryMinutes.map { .number($0) } ?? .null),
            ("checkpoint_every_steps", training.checkpointEverySteps.map { .number($0) } ?? .null), ("max_consecutive_skipped_steps", .number(training.maximumConsecutiveSkips)),
            ("sampler", sampler.json),
        ]
        // Written only when set, so configs (and sweep trial ids) from before the key are unchanged.
        if let steps = training.stepsPerEpoch { trainingMembers.append(("steps_per_epoch", .number(steps))) }
        if let klShaping { trainingMembers.append((klShaping.shaping.key, klShaping.shaping.json)) }
        if let earlyStopping = training.earlyStopping { trainingMembers.append(("early_stopping", earlyStopping.json)) }
        if let gradientBalancing { trainingMembers.append(("gradient_balancing", gradientBalancing.json)) }
        if training.keepBest != .validationELBO { trainingMembers.append(("keep_best", training.keepBest.json)) }
        var members: [(String, JSONValue)] = []
        if let description { members.append(("description", .string(description))) }
        var modelJSON = model.json
        if case .object(var modelMembers) = modelJSON.kind {
            modelMembers += granularity.jsonMembers.map { JSONMember(key: $0.0, value: $0.1) }
            modelJSON = JSONValue(.object(modelMembers))
        }
        members += [("data", .object(dataMembers)), ("model", modelJSON), ("training", .object(trainingMembers))]
        var loggingMembers: [(String, JSONValue)] = [("tensorboard", .bool(logging.tensorBoard)), ("log_every_n_batches", .number(logging.logEveryNBatches))]
        // Written only when set, so configs (and sweep trial ids) from before the key are unchanged.
        if let every = logging.disentanglementEvery { loggingMembers.append(("disentanglement_every", .number(every))) }
        if !logging.disentanglementAtEnd { loggingMembers.append(("disentanglement_at_end", .bool(false))) }
        members.append(("logging", .object(loggingMembers)))
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
