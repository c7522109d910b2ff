extension Schedule {
    /// A one-line description for people: "cyclical cosine wave 0 ↔ 1, 20-epoch cycles".
    public var summary: String {
        switch self {
        case .constant(let constant):
            return "constant \(Format.short(constant.value))"
        case .ramp(let ramp):
            return "\(ramp.shape.typeName) warm-up \(Format.short(ramp.start)) → \(Format.short(ramp.end)) over \(ramp.length)"
        case .sigmoid(let sigmoid):
            let midpoint: String
            switch sigmoid.midpoint {
            case .epochs(let epochs): midpoint = "epoch \(Format.short(epochs))"
            case .steps(let steps): midpoint = "step \(steps)"
            }
            return "sigmoid \(Format.short(sigmoid.start)) → \(Format.short(sigmoid.end)), midpoint \(midpoint), steepness \(Format.short(sigmoid.steepness))"
        case .cyclical(let cyclical):
            var wave = "\(cyclical.wave.typeName) wave"
            if case .ramp(let ratio) = cyclical.wave { wave = "ramp (rising over \(Format.percent(ratio)) of each cycle)" }
            return "cyclical \(wave) \(Format.short(cyclical.start)) ↔ \(Format.short(cyclical.end)), \(Format.short(cyclical.cycleLength))-epoch cycles"
        case .warmRestart(let restart):
            let growth = restart.restartMultiplier == 1 ? "" : " ×\(Format.short(restart.restartMultiplier))"
            return "warm restarts every \(Format.short(restart.restartInterval)) epochs\(growth) of \(restart.base.summary)"
        case .adaptiveWarmup(let adaptive):
            return "adaptive warm-up to \(Format.short(adaptive.maxBeta)) over T·r = \(adaptive.totalEpochs)·\(Format.short(adaptive.warmupRatio)) = \(Format.short(adaptive.warmupEpochs)) epochs"
        case .piecewise(let piecewise):
            return "piecewise \(piecewise.interpolation.rawValue) through \(piecewise.knots.count) knot\(piecewise.knots.count == 1 ? "" : "s")"
        case .joined(let joined):
            return "join of \(joined.pieces.map(\.typeName).joined(separator: ", ")) at epochs \(joined.boundaries.map { Format.short($0) }.joined(separator: ", "))"
        case .repeated(let repeated):
            return "\(repeated.schedule.summary), repeated every \(Format.short(repeated.period)) epochs"
        case .scaled(let scaled):
            return "\(scaled.schedule.summary), × \(Format.short(scaled.factor))"
        case .clamped(let clamped):
            let low = clamped.lower.map { Format.short($0) } ?? "−∞"
            let high = clamped.upper.map { Format.short($0) } ?? "∞"
            return "\(clamped.schedule.summary), clamped to [\(low), \(high)]"
        }
    }
}

extension LearningRateSchedule {
    /// A one-line description for people: "cosine warm restarts from 0.001 to 1e-06, T_0 = 10, T_mult = 2".
    public var summary: String {
        switch self {
        case .constant(let constant):
            return "constant \(Format.short(constant.value))"
        case .step(let step):
            return "\(Format.short(step.base)) × \(Format.short(step.gamma)) every \(Format.short(step.stepSize)) epochs"
        case .exponential(let exponential):
            return "\(Format.short(exponential.base)) × \(Format.short(exponential.gamma))^epoch"
        case .cosine(let cosine):
            return "cosine from \(Format.short(cosine.base)) to \(Format.short(cosine.etaMin)) over \(Format.short(cosine.tMax)) epochs"
        case .cosineWarmRestarts(let restarts):
            let decay = restarts.cycleDecay == 1 ? "" : ", peak × \(Format.short(restarts.cycleDecay)) per cycle"
            return "cosine warm restarts from \(Format.short(restarts.base)) to \(Format.short(restarts.etaMin)), T_0 = \(Format.short(restarts.t0)), T_mult = \(Format.short(restarts.tMult))\(decay)"
        case .warmup(let warmup):
            return "linear warm-up over \(warmup.length), then \(warmup.then.summary)"
        }
    }
}

extension KLWeightSchedule {
    /// One line per term: "beta: cyclical cosine wave …", or "global_kl_weight: …; local_kl_weight: …".
    public var summary: String {
        if layout == .single { return terms[0].schedule.summary }
        return terms.indices.map { "\(reportedName(ofTerm: $0)): \(terms[$0].schedule.summary)" }.joined(separator: "; ")
    }
}
