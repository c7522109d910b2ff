import JSONConfig

/// Reads schedules from the seed's JSON, checking every value, with errors that name the key path, the bad
/// value and what is allowed. `numEpochs` is the run length used to resolve `*_ratio` keys, `num_cycles` and
/// `adaptive_warmup`'s `T`.
struct ScheduleReader {
    var numEpochs: Int?

    // MARK: One schedule

    /// A schedule given as `{"type": NAME, …NAME's parameters}` (hierarchical sub-schedulers, pieces of
    /// combinators).
    func nestedSchedule(_ node: ConfigNode, allowed: [ScheduleType] = ScheduleType.singleTypes) throws(ConfigError) -> Schedule {
        try nestedSchedule(try node.object(), allowed: allowed)
    }

    /// As `nestedSchedule(_:allowed:)`, for an object some of whose keys the caller has read already.
    func nestedSchedule(_ object: ConfigObject, allowed: [ScheduleType] = ScheduleType.singleTypes) throws(ConfigError) -> Schedule {
        let typeNode = try object.required("type", "one of \(ScheduleType.names(allowed).joined(separator: ", "))")
        let type = try scheduleType(typeNode, allowed: allowed, what: "schedule type")
        return try schedule(type, parameters: object)
    }

    /// Resolves a type name, listing the valid names and suggesting the nearest for a typo.
    func scheduleType(_ node: ConfigNode, allowed: [ScheduleType], what: String) throws(ConfigError) -> ScheduleType {
        let name = try node.string()
        if let type = ScheduleType(rawValue: name), allowed.contains(type) { return type }
        if let type = ScheduleType(rawValue: name), type.isMultiTerm {
            throw node.error("\"\(name)\" schedules several KL terms and can only be the top-level beta_scheduler_type; allowed here: \(ScheduleType.names(allowed).joined(separator: ", "))")
        }
        if name == ScheduleType.warmRestart.rawValue {
            throw node.error("a warm restart cannot wrap another warm restart; allowed here: \(ScheduleType.names(allowed).joined(separator: ", "))")
        }
        let hint = NearestName.hint(for: name, among: ScheduleType.names(allowed))
        throw node.error("unknown \(what) \(JSONWriter.quoted(name)); \(hint)valid types: \(ScheduleType.names(allowed).joined(separator: ", "))")
    }

    /// The schedule of `type` whose parameters are the members of `parameters` (a `"type"` key, if present,
    /// has been read already).
    func schedule(_ type: ScheduleType, parameters p: ConfigObject) throws(ConfigError) -> Schedule {
        let result: Schedule
        switch type {
        case .constant:
            let beta = try nonNegative(p, "beta", default: 1)
            result = .constant(ConstantSchedule(value: beta))
        case .linear, .cosine, .exponential:
            let (low, high) = try betaRange(p)
            let length = try span(p, prefix: "warmup", meaning: "the length of the warm-up from min_beta to max_beta")
            let shape: RampShape
            if type == .exponential {
                let rate = try positive(p, "rate", default: 5)
                shape = .exponential(rate: rate)
            } else {
                shape = type == .linear ? .linear : .cosine
            }
            result = .ramp(RampSchedule(shape: shape, start: low, end: high, length: length))
        case .sigmoid:
            let (low, high) = try betaRange(p)
            let steepness = try positive(p, "steepness", default: nil, meaning: "k in 1/(1 + e^(−k·(t − t0))), per epoch or per step")
            let midpoint = try span(p, prefix: "midpoint", meaning: "t0, where β is halfway between min_beta and max_beta")
            result = .sigmoid(SigmoidSchedule(start: low, end: high, steepness: steepness, midpoint: midpoint))
        case .cyclical:
            result = .cyclical(try cyclical(p))
        case .warmRestart:
            result = .warmRestart(try warmRestart(p))
        case .adaptiveWarmup:
            let maxBeta = try nonNegative(p, "max_beta", default: 1)
            let ratio = try positive(p, "beta_warmup_ratio", default: 0.5)
            let total: Int
            if let node = p.node("total_epochs") {
                total = try node.integer()
                if total <= 0 { throw node.error("must be at least 1, got \(node.value.briefDescription)") }
            } else if let numEpochs {
                total = numEpochs
            } else {
                throw p.error("adaptive_warmup needs the run length: give training.num_epochs (or --epochs), or total_epochs here")
            }
            result = .adaptiveWarmup(AdaptiveWarmupSchedule(maxBeta: maxBeta, warmupRatio: ratio, totalEpochs: total))
        case .piecewise:
            result = .piecewise(try piecewise(p))
        case .join:
            result = .joined(try join(p))
        case .repeat:
            let schedule = try nestedSchedule(try p.required("schedule", "the schedule to repeat, {\"type\": …}"))
            let period = try positive(p, "period", default: nil, meaning: "epochs between repetitions")
            result = .repeated(RepeatedSchedule(schedule: schedule, period: period))
        case .scale:
            let schedule = try nestedSchedule(try p.required("schedule", "the schedule to scale, {\"type\": …}"))
            let factor = try nonNegative(p, "factor", default: nil, meaning: "the multiplier")
            result = .scaled(ScaledSchedule(schedule: schedule, factor: factor))
        case .clamp:
            let schedule = try nestedSchedule(try p.required("schedule", "the schedule to clamp, {\"type\": …}"))
            let lower = try p.number("min")
            let upper = try p.number("max")
            if lower == nil && upper == nil { throw p.error("clamp needs \"min\", \"max\" or both") }
            if let lower, let upper, lower > upper {
                throw p.error(at: "min", "min (\(Format.number(lower))) must not exceed max (\(Format.number(upper)))")
            }
            result = .clamped(ClampedSchedule(schedule: schedule, lower: lower, upper: upper))
        case .hierarchical, .perTerm:
            throw p.error("\(type.rawValue) is a multi-term schedule and cannot appear here")
        }
        try p.finish(context: "\(type.rawValue) schedule")
        return result
    }

    // MARK: Types with more to check

    private func cyclical(_ p: ConfigObject) throws(ConfigError) -> CyclicalSchedule {
        let (low, high) = try betaRange(p)
        let length: Double
        switch try p.oneOf(["cycle_length", "num_cycles"]) {
        case "cycle_length":
            length = try positive(p, "cycle_length", default: nil)
        case "num_cycles":
            let cycles = try positive(p, "num_cycles", default: nil)
            guard let numEpochs else {
                throw p.error(at: "num_cycles", "num_cycles needs the run length: give training.num_epochs (or --epochs), or cycle_length instead")
            }
            length = Double(numEpochs) / cycles
        default:
            throw p.missing(["cycle_length", "num_cycles"], "missing required key \"cycle_length\" (epochs per cycle) or \"num_cycles\" (cycles over num_epochs)")
        }
        let waveName = try p.node("wave_type")?.choice(["cosine", "triangle", "ramp"], what: "wave_type") ?? "cosine"
        let wave: WaveType
        if waveName == "ramp" {
            let ratio = try p.number("ratio", default: 0.5)
            if !(ratio > 0 && ratio <= 1) {
                throw p.error(at: "ratio", "must be in (0, 1], the fraction of each cycle spent rising; got \(Format.number(ratio))")
            }
            wave = .ramp(ratio: ratio)
        } else {
            if p.contains("ratio") {
                throw p.error(at: "ratio", "ratio only applies to wave_type \"ramp\" (this schedule's wave_type is \"\(waveName)\")")
            }
            wave = waveName == "cosine" ? .cosine : .triangle
        }
        return CyclicalSchedule(start: low, end: high, cycleLength: length, wave: wave)
    }

    private func warmRestart(_ p: ConfigObject) throws(ConfigError) -> WarmRestartSchedule {
        let typeNode = try p.required("base_scheduler_type", "the schedule that restarts: \(ScheduleType.names(ScheduleType.baseTypes).joined(separator: ", "))")
        let baseType = try scheduleType(typeNode, allowed: ScheduleType.baseTypes, what: "base_scheduler_type")
        let kwargs: ConfigObject
        if let node = p.node("base_scheduler_kwargs") {
            kwargs = try node.object()
        } else {
            kwargs = try ConfigObject(JSONValue(.object([]), position: typeNode.value.position), path: p.path.appending("base_scheduler_kwargs"), file: p.file)
        }
        if kwargs.contains("type") {
            throw kwargs.error(at: "type", "the base type goes in base_scheduler_type, not in base_scheduler_kwargs")
        }
        let base = try schedule(baseType, parameters: kwargs)
        let interval = try positive(p, "restart_interval", default: nil, meaning: "epochs until the first restart")
        let multiplier = try positive(p, "restart_multiplier", default: 1)
        return WarmRestartSchedule(base: base, restartInterval: interval, restartMultiplier: multiplier)
    }

    private func piecewise(_ p: ConfigObject) throws(ConfigError) -> PiecewiseSchedule {
        let knotsNode = try p.required("knots", "[[epoch, value], …] with epochs in order")
        let elements = try knotsNode.array()
        if elements.isEmpty { throw knotsNode.error("needs at least one knot [epoch, value]") }
        var knots: [PiecewiseSchedule.Knot] = []
        for element in elements {
            let pair = try element.array()
            guard pair.count == 2 else {
                throw element.error("each knot is a pair [epoch, value], got \(pair.count) element\(pair.count == 1 ? "" : "s")")
            }
            let epoch = try pair[0].number()
            let value = try pair[1].number()
            if epoch < 0 { throw pair[0].error("a knot's epoch must be ≥ 0, got \(pair[0].value.briefDescription)") }
            if let previous = knots.last {
                if epoch < previous.epoch {
                    throw pair[0].error("knot epochs must not decrease: \(Format.number(epoch)) comes after \(Format.number(previous.epoch))")
                }
                if knots.count >= 2, knots[knots.count - 2].epoch == epoch {
                    throw pair[0].error("at most two knots may share an epoch (a jump); epoch \(Format.number(epoch)) has three")
                }
            }
            knots.append(.init(epoch: epoch, value: value))
        }
        let names = PiecewiseInterpolation.allCases.map(\.rawValue)
        let name = try p.node("interpolation")?.choice(names, what: "interpolation") ?? "linear"
        return PiecewiseSchedule(knots: knots, interpolation: PiecewiseInterpolation(rawValue: name)!)
    }

    private func join(_ p: ConfigObject) throws(ConfigError) -> JoinedSchedule {
        let schedulesNode = try p.required("schedules", "the pieces, [{\"type\": …}, …], played in order")
        let elements = try schedulesNode.array()
        if elements.count < 2 { throw schedulesNode.error("join needs at least two schedules, got \(elements.count)") }
        var pieces: [Schedule] = []
        for element in elements { pieces.append(try nestedSchedule(element)) }
        let boundariesNode = try p.required("boundaries", "the epochs where pieces 2, 3, … begin")
        let boundaryNodes = try boundariesNode.array()
        if boundaryNodes.count != elements.count - 1 {
            throw boundariesNode.error("needs \(elements.count - 1) boundar\(elements.count == 2 ? "y" : "ies") for \(elements.count) schedules, got \(boundaryNodes.count)")
        }
        var boundaries: [Double] = []
        for node in boundaryNodes {
            let boundary = try node.number()
            if boundary <= (boundaries.last ?? 0) {
                throw node.error("boundaries must be greater than 0 and increasing, got \(node.value.briefDescription) after \(Format.number(boundaries.last ?? 0))")
            }
            boundaries.append(boundary)
        }
        return JoinedSchedule(pieces: pieces, boundaries: boundaries)
    }

    // MARK: Shared parameters

    /// `min_beta` (default 0) and `max_beta` (default 1), both ≥ 0, with `min_beta ≤ max_beta`.
    private func betaRange(_ p: ConfigObject) throws(ConfigError) -> (Double, Double) {
        let low = try nonNegative(p, "min_beta", default: 0)
        let high = try nonNegative(p, "max_beta", default: 1)
        if low > high {
            throw p.error(at: "min_beta", "min_beta (\(Format.number(low))) must not exceed max_beta (\(Format.number(high)))")
        }
        return (low, high)
    }

    /// A span given as `<prefix>_epochs`, `<prefix>_steps` or `<prefix>_ratio` (of `num_epochs`); exactly one.
    func span(_ p: ConfigObject, prefix: String, meaning: String) throws(ConfigError) -> TrainingSpan {
        let keys = ["\(prefix)_epochs", "\(prefix)_steps", "\(prefix)_ratio"]
        guard let key = try p.oneOf(keys) else {
            throw p.missing(keys, "missing \(keys[0]), \(keys[1]) or \(keys[2]) (\(meaning))")
        }
        return try span(p, key: key, prefix: prefix)!
    }

    /// The optional span with the given prefix, nil when none of its keys is present.
    func optionalSpan(_ p: ConfigObject, prefix: String) throws(ConfigError) -> TrainingSpan? {
        let keys = ["\(prefix)_epochs", "\(prefix)_steps", "\(prefix)_ratio"]
        guard let key = try p.oneOf(keys) else { return nil }
        return try span(p, key: key, prefix: prefix)
    }

    private func span(_ p: ConfigObject, key: String, prefix: String) throws(ConfigError) -> TrainingSpan? {
        guard let node = p.node(key) else { return nil }
        switch key {
        case "\(prefix)_steps":
            let steps = try node.integer()
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

    func nonNegative(_ p: ConfigObject, _ key: String, default fallback: Double?, meaning: String = "") throws(ConfigError) -> Double {
        guard let node = p.node(key) else {
            if let fallback { return fallback }
            throw p.missing([key], "missing required key \"\(key)\"\(meaning.isEmpty ? "" : " (\(meaning))")")
        }
        let value = try node.number()
        if value < 0 { throw node.error("must be ≥ 0, got \(node.value.briefDescription)") }
        return value
    }

    func positive(_ p: ConfigObject, _ key: String, default fallback: Double?, meaning: String = "") throws(ConfigError) -> Double {
        guard let node = p.node(key) else {
            if let fallback { return fallback }
            throw p.missing([key], "missing required key \"\(key)\"\(meaning.isEmpty ? "" : " (\(meaning))")")
        }
        let value = try node.number()
        if value <= 0 { throw node.error("must be greater than 0, got \(node.value.briefDescription)") }
        return value
    }
}
