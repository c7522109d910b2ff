import JSONConfig

/// Reads `training.learning_rate` and `training.lr_scheduler`.
struct LearningRateReader {
    static let typeNames = ["constant", "step", "exponential", "cosine", "cosine_warm_restarts"]

    var numEpochs: Int?

    func schedule(base: Double, node: ConfigNode) throws(ConfigError) -> LearningRateSchedule {
        let p = try node.object()
        let type = try p.required("type", "one of \(LearningRateReader.typeNames.joined(separator: ", "))")
            .choice(LearningRateReader.typeNames, what: "lr_scheduler type")
        let spans = ScheduleReader(numEpochs: numEpochs)
        let warmup = try spans.optionalSpan(p, prefix: "warmup")
        let startFactor = try p.number("warmup_start_factor")
        if let startFactor, !(startFactor >= 0 && startFactor <= 1) {
            throw p.error(at: "warmup_start_factor", "must be in [0, 1], the fraction of learning_rate the warm-up starts from; got \(Format.number(startFactor))")
        }
        if startFactor != nil && warmup == nil {
            throw p.error(at: "warmup_start_factor", "warmup_start_factor needs warmup_epochs, warmup_steps or warmup_ratio")
        }
        let etaMin = { () throws(ConfigError) -> Double in
            let value = try spans.nonNegative(p, "eta_min", default: 0)
            if value > base {
                throw p.error(at: "eta_min", "eta_min (\(Format.number(value))) must not exceed learning_rate (\(Format.number(base)))")
            }
            return value
        }
        let main: LearningRateSchedule
        switch type {
        case "constant":
            main = .constant(ConstantSchedule(value: base))
        case "step":
            let stepSize = try spans.positive(p, "step_size", default: nil, meaning: "epochs between decays")
            let gamma = try spans.positive(p, "gamma", default: 0.1)
            main = .step(StepDecaySchedule(base: base, stepSize: stepSize, gamma: gamma))
        case "exponential":
            let gamma = try spans.positive(p, "gamma", default: nil, meaning: "the factor per epoch")
            main = .exponential(ExponentialDecaySchedule(base: base, gamma: gamma))
        case "cosine":
            let eta = try etaMin()
            let tMax: Double
            if let value = try p.number("T_max") {
                if value <= 0 { throw p.error(at: "T_max", "must be greater than 0, got \(Format.number(value))") }
                tMax = value
            } else if let numEpochs {
                // The cosine runs after the warm-up, so by default it fills what the warm-up leaves.
                var remaining = Double(numEpochs)
                if case .epochs(let warmupEpochs)? = warmup { remaining -= warmupEpochs }
                tMax = remaining
                if tMax <= 0 { throw p.error("the warm-up fills the whole run; give T_max") }
            } else {
                throw p.error("missing required key \"T_max\" (epochs from learning_rate down to eta_min; defaults to num_epochs when that is known)")
            }
            main = .cosine(CosineAnnealingSchedule(base: base, etaMin: eta, tMax: tMax))
        default:  // cosine_warm_restarts
            let t0 = try spans.positive(p, "T_0", default: nil, meaning: "epochs in the first cycle")
            let tMult = try spans.positive(p, "T_mult", default: 1)
            if tMult < 1 {
                throw p.error(at: "T_mult", "must be ≥ 1 (cycles may grow, not shrink, or infinitely many restarts would crowd into finite time); got \(Format.number(tMult))")
            }
            let eta = try etaMin()
            let decay = try spans.positive(p, "cycle_decay", default: 1)
            if decay > 1 { throw p.error(at: "cycle_decay", "must be in (0, 1], the factor on each cycle's peak; got \(Format.number(decay))") }
            main = .cosineWarmRestarts(CosineWarmRestartsSchedule(base: base, t0: t0, tMult: tMult, etaMin: eta, cycleDecay: decay))
        }
        try p.finish(context: "\(type) learning-rate schedule")
        if let warmup {
            return .warmup(LinearWarmupSchedule(base: base, startFactor: startFactor ?? 0, length: warmup, then: main))
        }
        return main
    }
}
