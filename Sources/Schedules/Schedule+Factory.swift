import JSONConfig

extension Schedule {
    /// Seed 000's `get_beta_scheduler(type, **params)`: the schedule of type `type` with `parameters`
    /// (a JSON object, as in `beta_scheduler_params`). Throws a `ConfigError` that names the bad key and
    /// value and lists what is allowed; a caller may catch it and fall back to a default, as the seed shows.
    /// `numEpochs` resolves `*_ratio`, `num_cycles` and `adaptive_warmup`; `file` only labels errors.
    public init(type: String, parameters: JSONValue = .object([]), numEpochs: Int? = nil, file: String? = nil) throws(ConfigError) {
        let reader = ScheduleReader(numEpochs: numEpochs)
        let typeNode = ConfigNode(.string(type), path: ConfigKeyPath([.key("beta_scheduler_type")]), file: file)
        let name = try reader.typeName(typeNode, what: "beta_scheduler_type")
        let object = try ConfigObject(parameters, path: ConfigKeyPath([.key("beta_scheduler_params")]), file: file)
        self = try reader.schedule(named: name, parameters: object)
    }

    /// A schedule given in the nested form `{"type": …, …parameters}` at `node` (for configs that embed one, such
    /// as capacity annealing's C).
    public init(json node: ConfigNode, numEpochs: Int? = nil) throws(ConfigError) {
        self = try ScheduleReader(numEpochs: numEpochs).nestedSchedule(node)
    }
}
