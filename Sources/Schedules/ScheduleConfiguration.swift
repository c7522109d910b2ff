import JSONConfig

/// The schedule part of a run configuration: the run length and every scheduled quantity (the β of every KL
/// term, the learning rate, the posterior temperature, loss weights) with the controllers that drive some of
/// them, read from the seed's JSON.
///
/// A config file is either a bare training object (`{"beta_scheduler_type": …, "beta_scheduler_params": …}`,
/// as in seed 000's "Configuration" examples) or a full run config whose `training` section holds those keys
/// (seed 000's "Complete Training Configurations"). In a full config the `data`, `model` and `logging`
/// sections belong to training and are not read here.
public struct ScheduleConfiguration: Hashable, Sendable {
    /// `training.num_epochs`, or the override given on the command line.
    public var numEpochs: Int?
    public var beta: KLWeightSchedule
    /// The learning rate, nil when the config gives neither `learning_rate` nor `lr_scheduler`.
    public var learningRate: LearningRate?
    /// `training.temperature`: the scale of the posterior noise during training (z = μ + τ·σ·ε); nil for 1.
    public var temperature: Schedule?
    /// `training.loss_weights`: a weight schedule per loss term (`reconstruction`, `radial`, …).
    public var lossWeights: [NamedSchedule]
    /// `training.controllers`: feedback controllers by quantity name.
    public var controllers: [ControllerBinding]
    /// `training.phases`: named epoch ranges that set quantities' schedules.
    public var phases: PhasePlan?
    /// `training.beta_granularity`: when β and the other scheduled weights are evaluated.
    public var betaGranularity: GranularitySetting
    /// `training.use_hierarchical_model`, when given.
    public var useHierarchicalModel: Bool?
    /// The config's top-level `description`, when given.
    public var description: String?

    public init(numEpochs: Int?, beta: KLWeightSchedule, learningRate: LearningRate? = nil, temperature: Schedule? = nil,
                lossWeights: [NamedSchedule] = [], controllers: [ControllerBinding] = [], betaGranularity: GranularitySetting = .auto,
                useHierarchicalModel: Bool? = nil, description: String? = nil) {
        self.numEpochs = numEpochs
        self.beta = beta
        self.learningRate = learningRate
        self.temperature = temperature
        self.lossWeights = lossWeights
        self.controllers = controllers
        self.betaGranularity = betaGranularity
        self.useHierarchicalModel = useHierarchicalModel
        self.description = description
    }

    /// Sections of a full run config that other parts of Anneal read.
    public static let otherSections = ["data", "model", "logging"]

    /// Reads a config file. `numEpochs` (from `--epochs`) replaces `training.num_epochs` before anything
    /// that depends on the run length (`*_ratio`, `num_cycles`, `adaptive_warmup`) is resolved.
    /// `otherTrainingKeys` are training keys that other parts of Anneal read (the trainer's `batch_size`, …),
    /// accepted here without being read.
    public static func load(file path: String, numEpochs override: Int? = nil, otherTrainingKeys: [String] = []) throws(ConfigError) -> ScheduleConfiguration {
        try parse(try ConfigFile.load(path), file: path, numEpochs: override, otherTrainingKeys: otherTrainingKeys)
    }

    /// Reads a parsed config document (see `load(file:numEpochs:otherTrainingKeys:)`).
    public static func parse(_ document: JSONValue, file: String? = nil, numEpochs override: Int? = nil, otherTrainingKeys: [String] = []) throws(ConfigError) -> ScheduleConfiguration {
        let root = try ConfigObject(document, file: file)
        let training: ConfigObject
        var description: String?
        if let section = root.node("training") {
            training = try section.object()
            for name in otherSections {
                if let node = root.node(name) { _ = try node.object() }
            }
            description = try root.string("description")
            try root.finish(context: "run config (top level)")
        } else {
            training = root
        }
        var configuration = try parseTraining(training, numEpochs: override, allowing: otherTrainingKeys + (training === root ? ["description"] : []))
        if training === root { description = try root.string("description") }
        configuration.description = description
        _ = try configuration.quantities()
        return configuration
    }

    /// The training keys this type reads.
    public static let trainingKeys = [
        "num_epochs", "generator_training_epochs", "beta_scheduler_type", "beta_scheduler_params", "hierarchical_beta_config",
        "use_hierarchical_model", "learning_rate", "lr_scheduler", "beta_granularity", "temperature", "loss_weights", "controllers", "phases",
    ]

    /// Reads the schedule keys of a training section and rejects any other key, unless `allowing` names it
    /// (the trainer passes the keys it reads itself). The run length is `override` (`--epochs`), else
    /// `num_epochs`, else `defaultEpochs` (a run config's trainer default; nil for a bare schedule).
    public static func parseTraining(_ training: ConfigObject, numEpochs override: Int?, defaultEpochs: Int? = nil,
                                     allowing otherKeys: [String] = []) throws(ConfigError) -> ScheduleConfiguration {
        var numEpochs: Int?
        // generator_training_epochs is seed 001's name for the run length.
        if let key = try training.oneOf(["num_epochs", "generator_training_epochs"]), let node = training.node(key) {
            let value = try node.integer(minimum: 1)
            if value < 1 { throw node.error("must be at least 1, got \(node.value.briefDescription)") }
            numEpochs = value
        }
        if let override { numEpochs = override }
        if numEpochs == nil { numEpochs = defaultEpochs }

        let useHierarchical = try training.bool("use_hierarchical_model")
        let beta = try betaSchedule(training, numEpochs: numEpochs)
        let learningRate = try LearningRate.read(training, numEpochs: numEpochs)
        let granularityNames = GranularitySetting.allCases.map(\.rawValue)
        let granularity = GranularitySetting(rawValue: try training.node("beta_granularity")?.choice(granularityNames, what: "beta_granularity") ?? "auto")!

        let reader = ScheduleReader(numEpochs: numEpochs)
        var temperature: Schedule?
        if let node = training.node("temperature") {
            temperature = try reader.numberOrSchedule(node)
        }
        var lossWeights: [NamedSchedule] = []
        if let node = training.node("loss_weights") {
            let weights = try node.object()
            for name in weights.keys {
                let entry = weights.node(name)!
                guard isTermName(name) else {
                    throw entry.error("a loss term's name must be lowercase letters, digits and underscores, starting with a letter; got \(MessageText.quoted(name))")
                }
                lossWeights.append(NamedSchedule(name: name, schedule: try reader.numberOrSchedule(entry)))
            }
        }
        var controllers: [ControllerBinding] = []
        if let node = training.node("controllers") {
            let object = try node.object()
            for name in object.keys {
                let entry = object.node(name)!
                let context = ControllerTypeDefinition.Context(quantity: name, defaultMeasurement: ControllerBinding.defaultMeasurement(for: name))
                controllers.append(ControllerBinding(quantity: name, controller: try ControllerRegistry.read(entry, context: context), node: entry))
            }
        }
        let phases = try training.node("phases").map { node throws(ConfigError) in
            try PhasePlan.read(node, numEpochs: numEpochs, learningRateBase: learningRate?.base)
        }
        for key in otherKeys { _ = training.contains(key) }
        try training.finish(context: training.path.isRoot ? "schedule config" : "training section")
        var configuration = ScheduleConfiguration(numEpochs: numEpochs, beta: beta, learningRate: learningRate, temperature: temperature,
                                                  lossWeights: lossWeights, controllers: controllers, betaGranularity: granularity,
                                                  useHierarchicalModel: useHierarchical)
        configuration.phases = phases
        return configuration
    }

    // MARK: Quantities

    /// The scheduled quantities before controllers: the KL weights, the learning rate (when configured), the
    /// temperature and the loss weights.
    public var scheduledQuantities: QuantityPlan {
        var plan = QuantityPlan()
        if beta.layout == .single {
            plan.append(Quantity(name: "beta", role: .klWeight, schedule: beta.terms[0].schedule, evaluation: betaGranularity.evaluation(for: beta.terms[0].schedule)))
        } else {
            for term in beta.terms {
                plan.append(Quantity(name: Quantity.klWeightName(term.name), role: .klWeight, schedule: term.schedule,
                                     evaluation: betaGranularity.evaluation(for: term.schedule), term: term.name))
            }
        }
        if let learningRate {
            plan.append(Quantity(name: "lr", role: .learningRate, schedule: learningRate.schedule, evaluation: .step))
        }
        if let temperature {
            plan.append(Quantity(name: "temperature", role: .temperature, schedule: temperature, evaluation: betaGranularity.evaluation(for: temperature)))
        }
        for weight in lossWeights {
            plan.append(Quantity(name: Quantity.lossWeightName(weight.name), role: .lossWeight, schedule: weight.schedule,
                                 evaluation: betaGranularity.evaluation(for: weight.schedule), term: weight.name))
        }
        return plan
    }

    /// The run's quantities: `scheduledQuantities`, changed by `adjust` (a run config adds capacity or default
    /// weights), with the controllers attached. A controller for a quantity the run does not have is an
    /// error naming the quantities it has.
    public func quantities(adjusting adjust: (inout QuantityPlan) -> Void = { _ in }) throws(ConfigError) -> QuantityPlan {
        var plan = scheduledQuantities
        adjust(&plan)
        if let phases {
            try phases.apply(to: &plan, granularity: betaGranularity)
            plan.phases = phases
        }
        for binding in controllers {
            guard plan.index(of: binding.quantity) != nil else {
                let hint = NearestName.hint(for: binding.quantity, among: plan.names)
                throw ConfigError(file: binding.node.file, position: binding.node.value.position, keyPath: binding.node.path,
                                  message: "no quantity \(MessageText.quoted(binding.quantity)) in this run; \(hint)quantities: \(plan.names.joined(separator: ", "))")
            }
            if binding.controller.measurement.isEmpty {
                throw ConfigError(file: binding.node.file, position: binding.node.value.position, keyPath: binding.node.path,
                                  message: "missing required key \"measure\": what \(binding.quantity)'s controller reacts to (kl, kl.<term>, reconstruction, loss, …)")
            }
            plan.setController(binding.controller, for: binding.quantity)
        }
        return plan
    }

    /// Warnings for every scheduled quantity over `window`.
    public func warnings(over window: RunWindow) -> [ScheduleWarning] {
        ((try? quantities()) ?? scheduledQuantities).warnings(over: window)
    }

    // MARK: β

    private static func betaSchedule(_ training: ConfigObject, numEpochs: Int?) throws(ConfigError) -> KLWeightSchedule {
        let reader = ScheduleReader(numEpochs: numEpochs)
        let paramsKey = try training.oneOf(["beta_scheduler_params", "hierarchical_beta_config"])
        let allTypes = ScheduleRegistry.names + ScheduleRegistry.multiTermNames
        guard let typeNode = training.node("beta_scheduler_type") else {
            if let paramsKey {
                throw training.error(at: paramsKey, "\(paramsKey) is given but beta_scheduler_type is not; valid types: \(allTypes.joined(separator: ", "))")
            }
            guard let numEpochs else {
                throw training.error("no β schedule: give beta_scheduler_type (and beta_scheduler_params), or num_epochs for the recommended cyclical default")
            }
            return .recommendedDefault(numEpochs: numEpochs)
        }
        let written = try typeNode.string()
        let isMultiTerm = ScheduleRegistry.multiTermNames.contains(written)
        let type = isMultiTerm ? written : try reader.typeName(typeNode, what: "beta_scheduler_type")
        if paramsKey == "hierarchical_beta_config" && type != "hierarchical" {
            throw training.error(at: "hierarchical_beta_config", "hierarchical_beta_config is only for beta_scheduler_type \"hierarchical\"; use beta_scheduler_params for \"\(type)\"")
        }
        let params: ConfigObject
        if let paramsKey, let node = training.node(paramsKey) {
            params = try node.object()
        } else {
            // No parameters: every default applies. Errors about them point at the type that was chosen.
            params = try ConfigObject(JSONValue(.object([]), position: typeNode.value.position), path: training.path.appending("beta_scheduler_params"), file: training.file)
        }
        switch type {
        case "hierarchical":
            let global = try reader.nestedSchedule(try params.required("global_scheduler", "the schedule of the global KL weight, {\"type\": …}"))
            let local = try reader.nestedSchedule(try params.required("local_scheduler", "the schedule of the local KL weight, {\"type\": …}"))
            try params.finish(context: "hierarchical schedule")
            return .hierarchical(global: global, local: local)
        case "per_term":
            let termsNode = try params.required("terms", "each KL term's schedule by name: {\"global\": {\"type\": …}, …} or [{\"name\": \"global\", \"type\": …}, …]")
            var result: [KLWeightSchedule.Term] = []
            func add(_ name: String, at node: ConfigNode, _ schedule: () throws(ConfigError) -> Schedule) throws(ConfigError) {
                guard isTermName(name) else {
                    throw node.error("a term name must be letters, digits and underscores, starting with a letter; got \(MessageText.quoted(name))")
                }
                if result.contains(where: { $0.name == name }) { throw node.error("the term \(MessageText.quoted(name)) is given twice") }
                result.append(.init(name: name, schedule: try schedule()))
            }
            if case .array = termsNode.value.kind {
                // The ordered form, [{"name": …, "type": …, …}], which no decoder can reorder.
                for element in try termsNode.array() {
                    let object = try element.object()
                    let nameNode = try object.required("name", "the KL term's name")
                    try add(try nameNode.string(), at: nameNode) { () throws(ConfigError) -> Schedule in try reader.nestedSchedule(object) }
                }
            } else {
                let terms = try termsNode.object()
                for name in terms.keys {
                    let node = terms.node(name)!
                    try add(name, at: node) { () throws(ConfigError) -> Schedule in try reader.nestedSchedule(node) }
                }
            }
            if result.isEmpty { throw termsNode.error("needs at least one term") }
            try params.finish(context: "per_term schedule")
            return KLWeightSchedule(layout: .perTerm, terms: result)
        default:
            return .single(try reader.schedule(named: type, parameters: params))
        }
    }

    /// Term names: a letter, then letters, digits and underscores (`global`, `A`, `vae_b`).
    static func isTermName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) || ("A"..."Z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}
