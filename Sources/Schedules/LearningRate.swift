import JSONConfig

/// The learning rate: `training.learning_rate` (the base rate) and `training.lr_scheduler` (its schedule).
///
/// The schedule is an ordinary `Schedule`: every type works here (`piecewise`, `join`, `cyclical`, …), and
/// PyTorch's names are aliases in this context: `step` (`step_decay`), `exponential` (`exponential_decay`),
/// `cosine` (`cosine_annealing`), `cosine_warm_restarts`, `constant` (the base rate). Those decay from the base
/// rate; `warmup_epochs` / `warmup_steps` / `warmup_ratio` and `warmup_start_factor` on any of them put a
/// linear warm-up to the base rate in front.
public struct LearningRate: Hashable, Sendable {
    /// `training.learning_rate`, or the schedule's value at epoch 0 for a schedule that sets its own values.
    public var base: Double
    public var schedule: Schedule

    /// The learning rate when a config gives none (Adam's customary 1e-3).
    public static let defaultBase = 1e-3

    public init(base: Double, schedule: Schedule) {
        self.base = base
        self.schedule = schedule
    }

    /// A constant rate.
    public static func constant(_ rate: Double) -> LearningRate {
        LearningRate(base: rate, schedule: .constant(ConstantSchedule(value: rate)))
    }

    public var summary: String { schedule.summary }

    /// Reads `learning_rate` and `lr_scheduler` from a training section; nil when it gives neither.
    static func read(_ training: ConfigObject, numEpochs: Int?) throws(ConfigError) -> LearningRate? {
        let baseNode = training.node("learning_rate")
        var givenBase: Double?
        if let baseNode {
            let value = try baseNode.number()
            if value <= 0 { throw baseNode.error("must be greater than 0, got \(baseNode.value.briefDescription)") }
            givenBase = value
        }
        guard let node = training.node("lr_scheduler") else { return givenBase.map(LearningRate.constant) }
        let base = givenBase ?? defaultBase
        let p = try node.object()
        let reader = ScheduleReader(numEpochs: numEpochs, base: base, baseName: "learning_rate", aliases: ScheduleReader.learningRateAliases)
        let typeNode = try p.required("type", "one of constant, step, exponential, cosine, cosine_warm_restarts, or any schedule type")
        let name = try reader.typeName(typeNode, what: "lr_scheduler type")
        // Warm-up keys wrap the schedule in a linear warm-up, except for types whose own parameters they are.
        let ownsWarmupKeys = ["linear", "cosine", "exponential", "linear_warmup"].contains(name)
        var warmup: TrainingSpan?
        var startFactor: Double?
        if !ownsWarmupKeys {
            warmup = try reader.optionalSpan(p, prefix: "warmup")
            startFactor = try LinearWarmupSchedule.readStartFactor(p)
            if startFactor != nil && warmup == nil {
                throw p.error(at: "warmup_start_factor", "warmup_start_factor needs warmup_epochs, warmup_steps or warmup_ratio")
            }
            if case .epochs(let epochs)? = warmup { reader.epochsBefore = epochs }
        }
        var schedule = try reader.schedule(named: name, parameters: p)
        if let warmup {
            schedule = .linearWarmup(LinearWarmupSchedule(base: base, startFactor: startFactor ?? 0, length: warmup, then: schedule))
        } else if let baseNode, !reader.usedBase {
            throw ConfigError(file: baseNode.file, position: baseNode.value.position, keyPath: baseNode.path,
                              message: "learning_rate is the rate that lr_scheduler types constant, step, exponential, cosine and cosine_warm_restarts start from (or a warm-up rises to); a \(MessageText.quoted(name)) lr_scheduler sets the rate itself: drop learning_rate or put the rate in the schedule")
        }
        let usesBase = warmup != nil || reader.usedBase
        return LearningRate(base: usesBase ? base : schedule.value(at: .epoch(0)), schedule: schedule)
    }

    /// The training-section members: `learning_rate`, and `lr_scheduler` unless the rate is constant. Decay
    /// types starting from the base rate are written without their `base`, and a warm-up to the base rate as
    /// the `warmup_*` keys, as a config would say them.
    public var trainingJSONMembers: [(String, JSONValue)] {
        if let constant = schedule.kind as? ConstantSchedule, constant.value == base { return [("learning_rate", .number(base))] }
        var inner = schedule
        var warmup: LinearWarmupSchedule?
        if let wrapped = schedule.kind as? LinearWarmupSchedule, wrapped.base == base {
            warmup = wrapped
            inner = wrapped.then
        }
        var members = (inner.json.members ?? []).map { ($0.key, $0.value) }
        let usesBase = members.contains { $0.0 == "base" && $0.1 == .number(base) }
        members.removeAll { $0.0 == "base" && $0.1 == .number(base) }
        if let constant = inner.kind as? ConstantSchedule, constant.value == base { members = [("type", .string("constant"))] }
        if let warmup {
            members.append(warmup.length.json(prefix: "warmup"))
            members.append(("warmup_start_factor", .number(warmup.startFactor)))
        }
        let baseMember: [(String, JSONValue)] = usesBase || warmup != nil || inner.kind is ConstantSchedule ? [("learning_rate", .number(base))] : []
        return baseMember + [("lr_scheduler", .object(members))]
    }
}
