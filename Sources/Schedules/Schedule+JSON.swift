import JSONConfig

extension Schedule {
    /// The config type name of this schedule.
    public var typeName: String {
        switch self {
        case .constant: return ScheduleType.constant.rawValue
        case .ramp(let ramp): return ramp.shape.typeName
        case .sigmoid: return ScheduleType.sigmoid.rawValue
        case .cyclical: return ScheduleType.cyclical.rawValue
        case .warmRestart: return ScheduleType.warmRestart.rawValue
        case .adaptiveWarmup: return ScheduleType.adaptiveWarmup.rawValue
        case .piecewise: return ScheduleType.piecewise.rawValue
        case .joined: return ScheduleType.join.rawValue
        case .repeated: return ScheduleType.repeat.rawValue
        case .scaled: return ScheduleType.scale.rawValue
        case .clamped: return ScheduleType.clamp.rawValue
        }
    }

    /// The parameters as the seed's JSON writes them (`beta_scheduler_params`), without the type.
    /// Ratios are written as the epochs they resolved to, so reading this back needs no run length.
    public var parametersJSON: JSONValue {
        var members: [(String, JSONValue)] = []
        func add(_ key: String, _ value: Double) { members.append((key, .number(value))) }
        func addSpan(_ prefix: String, _ span: TrainingSpan) {
            switch span {
            case .epochs(let epochs): add("\(prefix)_epochs", epochs)
            case .steps(let steps): members.append(("\(prefix)_steps", .number(steps)))
            }
        }
        switch self {
        case .constant(let schedule):
            add("beta", schedule.value)
        case .ramp(let ramp):
            add("min_beta", ramp.start)
            add("max_beta", ramp.end)
            addSpan("warmup", ramp.length)
            if case .exponential(let rate) = ramp.shape { add("rate", rate) }
        case .sigmoid(let sigmoid):
            add("min_beta", sigmoid.start)
            add("max_beta", sigmoid.end)
            add("steepness", sigmoid.steepness)
            addSpan("midpoint", sigmoid.midpoint)
        case .cyclical(let cyclical):
            add("cycle_length", cyclical.cycleLength)
            add("min_beta", cyclical.start)
            add("max_beta", cyclical.end)
            members.append(("wave_type", .string(cyclical.wave.typeName)))
            if case .ramp(let ratio) = cyclical.wave { add("ratio", ratio) }
        case .warmRestart(let restart):
            members.append(("base_scheduler_type", .string(restart.base.typeName)))
            members.append(("base_scheduler_kwargs", restart.base.parametersJSON))
            add("restart_interval", restart.restartInterval)
            add("restart_multiplier", restart.restartMultiplier)
        case .adaptiveWarmup(let adaptive):
            add("max_beta", adaptive.maxBeta)
            add("beta_warmup_ratio", adaptive.warmupRatio)
            members.append(("total_epochs", .number(adaptive.totalEpochs)))
        case .piecewise(let piecewise):
            members.append(("knots", .array(piecewise.knots.map { .array([.number($0.epoch), .number($0.value)]) })))
            members.append(("interpolation", .string(piecewise.interpolation.rawValue)))
        case .joined(let joined):
            members.append(("schedules", .array(joined.pieces.map(\.json))))
            members.append(("boundaries", .array(joined.boundaries.map { .number($0) })))
        case .repeated(let repeated):
            members.append(("schedule", repeated.schedule.json))
            add("period", repeated.period)
        case .scaled(let scaled):
            members.append(("schedule", scaled.schedule.json))
            add("factor", scaled.factor)
        case .clamped(let clamped):
            members.append(("schedule", clamped.schedule.json))
            if let lower = clamped.lower { add("min", lower) }
            if let upper = clamped.upper { add("max", upper) }
        }
        return .object(members)
    }

    /// The nested form, `{"type": NAME, …parameters}`, as hierarchical sub-schedulers are written.
    public var json: JSONValue {
        .object([("type", .string(typeName))] + (parametersJSON.members ?? []).map { ($0.key, $0.value) })
    }
}

extension Schedule: CustomStringConvertible {
    /// The schedule as compact JSON in its nested form: exact and readable back.
    public var description: String { json.description }
}
