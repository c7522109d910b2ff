import JSONConfig

extension LearningRateSchedule {
    /// The `lr_scheduler` object (the base rate is written separately as `learning_rate`).
    public var json: JSONValue {
        var members: [(String, JSONValue)] = []
        func add(_ key: String, _ value: Double) { members.append((key, .number(value))) }
        var schedule = self
        var warmup: LinearWarmupSchedule?
        if case .warmup(let inner) = self {
            warmup = inner
            schedule = inner.then
        }
        switch schedule {
        case .constant:
            members.append(("type", .string("constant")))
        case .step(let step):
            members.append(("type", .string("step")))
            add("step_size", step.stepSize)
            add("gamma", step.gamma)
        case .exponential(let exponential):
            members.append(("type", .string("exponential")))
            add("gamma", exponential.gamma)
        case .cosine(let cosine):
            members.append(("type", .string("cosine")))
            add("T_max", cosine.tMax)
            add("eta_min", cosine.etaMin)
        case .cosineWarmRestarts(let restarts):
            members.append(("type", .string("cosine_warm_restarts")))
            add("T_0", restarts.t0)
            add("T_mult", restarts.tMult)
            add("eta_min", restarts.etaMin)
            add("cycle_decay", restarts.cycleDecay)
        case .warmup:
            break  // a warm-up is only ever the outermost layer
        }
        if let warmup {
            switch warmup.length {
            case .epochs(let epochs): add("warmup_epochs", epochs)
            case .steps(let steps): members.append(("warmup_steps", .number(steps)))
            }
            add("warmup_start_factor", warmup.startFactor)
        }
        return .object(members)
    }

    /// The config type name (`cosine_warm_restarts`, …), naming the schedule after any warm-up.
    public var typeName: String {
        json["type"].flatMap { if case .string(let name) = $0.kind { return name } else { return nil } } ?? "constant"
    }
}
