import JSONConfig

/// A linear warm-up joined to another schedule: over `length` the value rises linearly from
/// `startFactor·base` to `base`; afterwards `then` runs and sees the time since the warm-up ended (so a cosine
/// or warm-restart schedule starts its first cycle when the warm-up is over).
///
/// `v = base·(f₀ + (1 − f₀)·p)` with `p` the warm-up fraction and `f₀ = warmup_start_factor` (default 0).
/// In `lr_scheduler`, `warmup_epochs`/`warmup_steps`/`warmup_ratio` and `warmup_start_factor` on any type
/// wrap it in this warm-up; elsewhere it is written `{"type": "linear_warmup", "base": …, "then": {…}}`.
public struct LinearWarmupSchedule: ProgressSchedule, Hashable {
    public var base: Double
    public var startFactor: Double
    public var length: TrainingSpan
    public var then: Schedule

    public init(base: Double, startFactor: Double = 0, length: TrainingSpan, then: Schedule) {
        self.base = base
        self.startFactor = startFactor
        self.length = length
        self.then = then
    }

    /// Whether `progress` is still inside the warm-up.
    public func isWarmingUp(at progress: TrainingProgress) -> Bool {
        switch length {
        case .epochs(let epochs): return progress.epoch < epochs
        case .steps(let steps): return progress.step < steps
        }
    }

    public func value(at progress: TrainingProgress) -> Double {
        if isWarmingUp(at: progress) {
            let p = length.fraction(at: progress)
            return base * (startFactor + (1 - startFactor) * p)
        }
        switch length {
        case .epochs(let epochs): return then.value(at: progress.shifted(byEpochs: epochs))
        case .steps(let steps): return then.value(at: progress.shifted(bySteps: steps))
        }
    }
}

extension LinearWarmupSchedule: ScheduleKind {
    public static let definition = ScheduleTypeDefinition(names: ["linear_warmup"], meaning: "a linear rise from warmup_start_factor·base to base, then another schedule (the learning-rate warm-up)") { _, p, reader throws(ConfigError) in
        let base = try reader.baseValue(p)
        let length = try reader.span(p, prefix: "warmup", meaning: "the length of the warm-up")
        let factor = try readStartFactor(p) ?? 0
        let then = try reader.nestedSchedule(try p.required("then", "the schedule after the warm-up, {\"type\": …}"))
        return LinearWarmupSchedule(base: base, startFactor: factor, length: length, then: then)
    }

    /// `warmup_start_factor` in [0, 1], when present.
    static func readStartFactor(_ p: ConfigObject) throws(ConfigError) -> Double? {
        guard let factor = try p.number("warmup_start_factor") else { return nil }
        if !(factor >= 0 && factor <= 1) {
            throw p.error(at: "warmup_start_factor", "must be in [0, 1], the fraction of the base value the warm-up starts from; got \(Format.number(factor))")
        }
        return factor
    }

    public var typeName: String { "linear_warmup" }
    public var shortestPeriod: Double? { then.shortestPeriod }

    public var parametersJSON: JSONValue {
        .object([("base", .number(base)), length.json(prefix: "warmup"), ("warmup_start_factor", .number(startFactor)), ("then", then.json)])
    }

    public var summary: String { "linear warm-up over \(length), then \(then.summary)" }

    public func warnings(over window: RunWindow) -> [String] {
        var messages: [String] = []
        if isWarmingUp(at: window.ownLast) {
            messages.append("the warm-up (\(length)) does not finish within \(window.name) (\(window.numEpochs) epochs)")
        }
        var after = window
        after.offset += length.inEpochs(stepsPerEpoch: window.stepsPerEpoch)
        return messages + then.warnings(over: after)
    }
}
