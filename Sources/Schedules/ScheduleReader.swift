import JSONConfig

/// Reads schedules from the seed's JSON through `ScheduleRegistry`, checking every value, with errors that
/// name the key path, the bad value and what is allowed.
///
/// The context a schedule is read in: `numEpochs` resolves `*_ratio` keys, `num_cycles` and
/// `adaptive_warmup`'s `T`; `base` is the starting value of decay-style schedules when the context gives one
/// (the learning rate, for `lr_scheduler`); `aliases` are other names for types in this context (PyTorch's
/// `step`, `exponential`, `cosine` in `lr_scheduler`).
public final class ScheduleReader {
    public let numEpochs: Int?
    public let base: Double?
    public let aliases: [String: String]
    /// What `base` is called in messages (`learning_rate`).
    public let baseName: String
    /// Epochs of the run already taken before the schedule being read starts (a learning-rate warm-up), so
    /// defaults that fill the run (cosine annealing's `T_max`) fill what is left.
    public var epochsBefore: Double = 0
    /// Set when a schedule took its starting value from `base`.
    public private(set) var usedBase = false

    public init(numEpochs: Int?, base: Double? = nil, baseName: String = "base", aliases: [String: String] = [:]) {
        self.numEpochs = numEpochs
        self.base = base
        self.baseName = baseName
        self.aliases = aliases
    }

    /// PyTorch's learning-rate scheduler names, which mean other things than the β names of the same spelling:
    /// an LR `cosine` anneals down from the base rate, a β `cosine` warms up to `max_beta`.
    public static let learningRateAliases = ["step": "step_decay", "exponential": "exponential_decay", "cosine": "cosine_annealing"]

    // MARK: One schedule

    /// A schedule given as `{"type": NAME, …NAME's parameters}` (hierarchical sub-schedulers, pieces of
    /// combinators).
    public func nestedSchedule(_ node: ConfigNode, restartableOnly: Bool = false) throws(ConfigError) -> Schedule {
        try nestedSchedule(try node.object(), restartableOnly: restartableOnly)
    }

    /// As `nestedSchedule(_:restartableOnly:)`, for an object some of whose keys the caller has read already.
    public func nestedSchedule(_ object: ConfigObject, restartableOnly: Bool = false) throws(ConfigError) -> Schedule {
        let allowed = restartableOnly ? ScheduleRegistry.restartableNames : ScheduleRegistry.names
        let typeNode = try object.required("type", "one of \(allowed.joined(separator: ", "))")
        let name = try typeName(typeNode, restartableOnly: restartableOnly, what: "schedule type")
        return try schedule(named: name, parameters: object)
    }

    /// A quantity given either as a number (a constant) or as a nested schedule.
    public func numberOrSchedule(_ node: ConfigNode) throws(ConfigError) -> Schedule {
        if case .number = node.value.kind { return .constant(ConstantSchedule(value: try node.number())) }
        guard case .object = node.value.kind else {
            throw node.error("must be a number or a schedule {\"type\": …}, got \(node.value.briefDescription) (\(node.value.kindName))")
        }
        return try nestedSchedule(node)
    }

    /// Resolves a type name (through this context's aliases), listing the valid names and suggesting the
    /// nearest for a typo.
    public func typeName(_ node: ConfigNode, restartableOnly: Bool = false, what: String) throws(ConfigError) -> String {
        let written = try node.string()
        let name = aliases[written] ?? written
        let allowed = restartableOnly ? ScheduleRegistry.restartableNames : ScheduleRegistry.names
        if allowed.contains(name) { return name }
        // In a context with aliases (lr_scheduler) the aliases come first and shadow the names they reuse.
        let aliased = aliases.keys.sorted().filter { allowed.contains(aliases[$0]!) }
        let others = allowed.filter { !aliased.contains($0) && !aliases.values.contains($0) }
        let listing = aliased.isEmpty ? "valid types: \(allowed.joined(separator: ", "))"
            : "valid types: \((["constant"] + aliased + ["cosine_warm_restarts"]).joined(separator: ", ")) (PyTorch's names), or any schedule type: \(others.filter { $0 != "constant" && $0 != "cosine_warm_restarts" }.joined(separator: ", "))"
        if ScheduleRegistry.multiTermNames.contains(written) {
            throw node.error("\"\(written)\" schedules several KL terms and can only be the top-level beta_scheduler_type; \(listing)")
        }
        if restartableOnly, ScheduleRegistry.definition(named: name) != nil {
            let what = name == WarmRestartSchedule.definition.names[0] ? "another warm restart" : MessageText.quoted(written)
            throw node.error("a warm restart cannot wrap \(what); \(listing)")
        }
        let hint = NearestName.hint(for: written, among: aliased + allowed)
        throw node.error("unknown \(what) \(MessageText.quoted(written)); \(hint)\(listing)")
    }

    /// The schedule `name` (a registry name) whose parameters are the members of `parameters`; a `"type"`
    /// key, if present, has been read already. Unknown parameters are errors.
    public func schedule(named name: String, parameters: ConfigObject) throws(ConfigError) -> Schedule {
        guard let definition = ScheduleRegistry.definition(named: name) else {
            throw parameters.error("unknown schedule type \(MessageText.quoted(name))")
        }
        let kind = try definition.read(name, parameters, self)
        try parameters.finish(context: "\(name) schedule")
        return Schedule(kind)
    }

    // MARK: Shared parameters

    /// `min_beta` (default 0) and `max_beta` (default 1), both ≥ 0, with `min_beta ≤ max_beta`.
    public func betaRange(_ p: ConfigObject) throws(ConfigError) -> (Double, Double) {
        let low = try nonNegative(p, "min_beta", default: 0)
        let high = try nonNegative(p, "max_beta", default: 1)
        if low > high {
            throw p.error(at: "min_beta", "min_beta (\(Format.number(low))) must not exceed max_beta (\(Format.number(high)))")
        }
        return (low, high)
    }

    /// The starting value of a decay-style schedule: `base` in the object, or the context's base (the learning
    /// rate); without either, an error.
    public func baseValue(_ p: ConfigObject) throws(ConfigError) -> Double {
        if let node = p.node("base") {
            let value = try node.number()
            if value <= 0 { throw node.error("must be greater than 0, got \(node.value.briefDescription)") }
            return value
        }
        guard let base else {
            throw p.missing(["base"], "missing required key \"base\" (the starting value)")
        }
        usedBase = true
        return base
    }

    /// A span given as `<prefix>_epochs`, `<prefix>_steps` or `<prefix>_ratio` (of `num_epochs`); exactly one.
    public func span(_ p: ConfigObject, prefix: String, meaning: String) throws(ConfigError) -> TrainingSpan {
        let keys = ["\(prefix)_epochs", "\(prefix)_steps", "\(prefix)_ratio"]
        guard let key = try p.oneOf(keys) else {
            throw p.missing(keys, "missing \(keys[0]), \(keys[1]) or \(keys[2]) (\(meaning))")
        }
        return try span(p, key: key, prefix: prefix)!
    }

    /// The optional span with the given prefix, nil when none of its keys is present.
    public func optionalSpan(_ p: ConfigObject, prefix: String) throws(ConfigError) -> TrainingSpan? {
        let keys = ["\(prefix)_epochs", "\(prefix)_steps", "\(prefix)_ratio"]
        guard let key = try p.oneOf(keys) else { return nil }
        return try span(p, key: key, prefix: prefix)
    }

    private func span(_ p: ConfigObject, key: String, prefix: String) throws(ConfigError) -> TrainingSpan? {
        guard let node = p.node(key) else { return nil }
        switch key {
        case "\(prefix)_steps":
            let steps = try node.integer(minimum: 0)
            if steps < 0 { throw node.error("must be ≥ 0, got \(node.value.briefDescription)") }
            return .steps(steps)
        case "\(prefix)_ratio":
            let ratio = try node.number()
            if ratio < 0 { throw node.error("must be ≥ 0 (a fraction of num_epochs), got \(node.value.briefDescription)") }
            guard let numEpochs else {
                throw node.error("\(key) is a fraction of the run: give training.num_epochs (or --epochs), or use \(prefix)_epochs")
            }
            return .epochs(ratio * Double(numEpochs))
        default:
            let epochs = try node.number()
            if epochs < 0 { throw node.error("must be ≥ 0, got \(node.value.briefDescription)") }
            return .epochs(epochs)
        }
    }

    public func nonNegative(_ p: ConfigObject, _ key: String, default fallback: Double?, meaning: String = "") throws(ConfigError) -> Double {
        guard let node = p.node(key) else {
            if let fallback { return fallback }
            throw p.missing([key], "missing required key \"\(key)\"\(meaning.isEmpty ? "" : " (\(meaning))")")
        }
        let value = try node.number()
        if value < 0 { throw node.error("must be ≥ 0, got \(node.value.briefDescription)") }
        return value
    }

    /// The shortest length in epochs a cycle, period or restart interval may have: a millionth of an epoch.
    /// Shorter lengths (5e-324 parses as a positive number) would restart or repeat more often than any run
    /// has steps, which is never what was meant, and make restart searches run for ever.
    public static let minimumLength = 1e-6

    /// A length in epochs: a number of at least `minimumLength`.
    public func length(_ p: ConfigObject, _ key: String, default fallback: Double?, meaning: String = "") throws(ConfigError) -> Double {
        let value = try positive(p, key, default: fallback, meaning: meaning)
        if value < ScheduleReader.minimumLength, let node = p.node(key) {
            throw node.error("must be at least \(Format.number(ScheduleReader.minimumLength)) epochs (a millionth of an epoch), got \(node.value.briefDescription)")
        }
        return value
    }

    public func positive(_ p: ConfigObject, _ key: String, default fallback: Double?, meaning: String = "") throws(ConfigError) -> Double {
        guard let node = p.node(key) else {
            if let fallback { return fallback }
            throw p.missing([key], "missing required key \"\(key)\"\(meaning.isEmpty ? "" : " (\(meaning))")")
        }
        let value = try node.number()
        if value <= 0 { throw node.error("must be greater than 0, got \(node.value.briefDescription)") }
        return value
    }
}
