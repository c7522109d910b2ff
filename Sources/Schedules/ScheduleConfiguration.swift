import JSONConfig

/// The schedule part of a run configuration: the run length, the β schedule of every KL term and the
/// learning-rate schedule, read from the seed's JSON.
///
/// A config file is either a bare training object (`{"beta_scheduler_type": …, "beta_scheduler_params": …}`,
/// as in seed 000's "Configuration" examples) or a full run config whose `training` section holds those keys
/// (seed 000's "Complete Training Configurations"). In a full config the `data`, `model` and `logging`
/// sections belong to training and are not read here.
public struct ScheduleConfiguration: Hashable, Sendable {
    /// `training.num_epochs`, or the override given on the command line.
    public var numEpochs: Int?
    public var beta: KLWeightSchedule
    /// The learning-rate schedule, nil when the config gives neither `learning_rate` nor `lr_scheduler`.
    public var learningRate: LearningRateSchedule?
    /// `training.use_hierarchical_model`, when given.
    public var useHierarchicalModel: Bool?

    public init(numEpochs: Int?, beta: KLWeightSchedule, learningRate: LearningRateSchedule? = nil, useHierarchicalModel: Bool? = nil) {
        self.numEpochs = numEpochs
        self.beta = beta
        self.learningRate = learningRate
        self.useHierarchicalModel = useHierarchicalModel
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
        if let section = root.node("training") {
            training = try section.object()
            for name in otherSections {
                if let node = root.node(name) { _ = try node.object() }
            }
            try root.finish(context: "run config (top level)")
        } else {
            training = root
        }
        return try parseTraining(training, numEpochs: override, allowing: otherTrainingKeys)
    }

    /// The training keys this type reads.
    public static let trainingKeys = [
        "num_epochs", "beta_scheduler_type", "beta_scheduler_params", "hierarchical_beta_config",
        "use_hierarchical_model", "learning_rate", "lr_scheduler",
    ]

    /// Reads the schedule keys of a training section and rejects any other key, unless `allowing` names it
    /// (the trainer passes the keys it reads itself).
    public static func parseTraining(_ training: ConfigObject, numEpochs override: Int?, allowing otherKeys: [String] = []) throws(ConfigError) -> ScheduleConfiguration {
        var numEpochs: Int?
        if let node = training.node("num_epochs") {
            let value = try node.integer()
            if value < 1 { throw node.error("must be at least 1, got \(node.value.briefDescription)") }
            numEpochs = value
        }
        if let override { numEpochs = override }

        let useHierarchical = try training.bool("use_hierarchical_model")
        let beta = try betaSchedule(training, numEpochs: numEpochs)

        var learningRate: LearningRateSchedule?
        let baseNode = training.node("learning_rate")
        var base = 1e-3
        if let baseNode {
            base = try baseNode.number()
            if base <= 0 { throw baseNode.error("must be greater than 0, got \(baseNode.value.briefDescription)") }
            learningRate = .constant(ConstantSchedule(value: base))
        }
        if let node = training.node("lr_scheduler") {
            learningRate = try LearningRateReader(numEpochs: numEpochs).schedule(base: base, node: node)
        }
        for key in otherKeys { _ = training.contains(key) }
        try training.finish(context: training.path.isRoot ? "schedule config" : "training section")
        return ScheduleConfiguration(numEpochs: numEpochs, beta: beta, learningRate: learningRate, useHierarchicalModel: useHierarchical)
    }

    private static func betaSchedule(_ training: ConfigObject, numEpochs: Int?) throws(ConfigError) -> KLWeightSchedule {
        let reader = ScheduleReader(numEpochs: numEpochs)
        let paramsKey = try training.oneOf(["beta_scheduler_params", "hierarchical_beta_config"])
        guard let typeNode = training.node("beta_scheduler_type") else {
            if let paramsKey {
                throw training.error(at: paramsKey, "\(paramsKey) is given but beta_scheduler_type is not; valid types: \(ScheduleType.names(ScheduleType.allCases).joined(separator: ", "))")
            }
            guard let numEpochs else {
                throw training.error("no β schedule: give beta_scheduler_type (and beta_scheduler_params), or num_epochs for the recommended cyclical default")
            }
            return .recommendedDefault(numEpochs: numEpochs)
        }
        let type = try reader.scheduleType(typeNode, allowed: ScheduleType.allCases, what: "beta_scheduler_type")
        if paramsKey == "hierarchical_beta_config" && type != .hierarchical {
            throw training.error(at: "hierarchical_beta_config", "hierarchical_beta_config is only for beta_scheduler_type \"hierarchical\"; use beta_scheduler_params for \"\(type.rawValue)\"")
        }
        let params: ConfigObject
        if let paramsKey, let node = training.node(paramsKey) {
            params = try node.object()
        } else {
            // No parameters: every default applies. Errors about them point at the type that was chosen.
            params = try ConfigObject(JSONValue(.object([]), position: typeNode.value.position), path: training.path.appending("beta_scheduler_params"), file: training.file)
        }
        switch type {
        case .hierarchical:
            let global = try reader.nestedSchedule(try params.required("global_scheduler", "the schedule of the global KL weight, {\"type\": …}"))
            let local = try reader.nestedSchedule(try params.required("local_scheduler", "the schedule of the local KL weight, {\"type\": …}"))
            try params.finish(context: "hierarchical schedule")
            return .hierarchical(global: global, local: local)
        case .perTerm:
            let termsNode = try params.required("terms", "each KL term's schedule by name: {\"global\": {\"type\": …}, …} or [{\"name\": \"global\", \"type\": …}, …]")
            var result: [KLWeightSchedule.Term] = []
            func add(_ name: String, at node: ConfigNode, _ schedule: () throws(ConfigError) -> Schedule) throws(ConfigError) {
                guard isTermName(name) else {
                    throw node.error("a term name must be lowercase letters, digits and underscores, starting with a letter; got \(JSONWriter.quoted(name))")
                }
                if result.contains(where: { $0.name == name }) { throw node.error("the term \(JSONWriter.quoted(name)) is given twice") }
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
            return .single(try reader.schedule(type, parameters: params))
        }
    }

    private static func isTermName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}
