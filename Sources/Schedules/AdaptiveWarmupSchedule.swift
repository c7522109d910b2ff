import JSONConfig

/// Seed 001's `VAELoss` fix: a linear warm-up tied to the run's real length.
///
/// `β(e) = hi·min(1, (e + 1)/(T·r))` for `T = num_epochs` (or `total_epochs`), `r = beta_warmup_ratio`
/// (default 0.5) and `hi = max_beta` (default 1). It counts the current epoch (the `+ 1`) and does not
/// truncate `T·r`, so the seed's tables come out exactly: T = 10, r = 0.5 gives 0.2, 0.4, 0.6, 0.8, 1.0;
/// T = 10 with r = 0.25 first reaches 1.0 at 1-based epoch 3 (T·r = 2.5). Per step, `e` is the fractional `t`.
public struct AdaptiveWarmupSchedule: ProgressSchedule, Hashable {
    public var maxBeta: Double
    public var warmupRatio: Double
    public var totalEpochs: Int

    public init(maxBeta: Double = 1, warmupRatio: Double = 0.5, totalEpochs: Int) {
        precondition(warmupRatio > 0 && totalEpochs > 0, "ratio and total epochs must be positive")
        self.maxBeta = maxBeta
        self.warmupRatio = warmupRatio
        self.totalEpochs = totalEpochs
    }

    /// `T·r`, the warm-up length in epochs (not truncated).
    public var warmupEpochs: Double { Double(totalEpochs) * warmupRatio }

    public func value(at progress: TrainingProgress) -> Double {
        let fraction = (progress.epoch + 1) / warmupEpochs
        return fraction >= 1 ? maxBeta : maxBeta * fraction
    }
}

extension AdaptiveWarmupSchedule: ScheduleKind {
    public static let definition = ScheduleTypeDefinition(names: ["adaptive_warmup"], meaning: "a linear warm-up over beta_warmup_ratio of the run, tied to its length") { _, p, reader throws(ConfigError) in
        let maxBeta = try reader.nonNegative(p, "max_beta", default: 1)
        let ratio = try reader.positive(p, "beta_warmup_ratio", default: 0.5)
        let total: Int
        if let node = p.node("total_epochs") {
            total = try node.integer(minimum: 1)
            if total <= 0 { throw node.error("must be at least 1, got \(node.value.briefDescription)") }
        } else if let numEpochs = reader.numEpochs {
            total = numEpochs
        } else {
            throw p.error("adaptive_warmup needs the run length: give training.num_epochs (or --epochs), or total_epochs here")
        }
        return AdaptiveWarmupSchedule(maxBeta: maxBeta, warmupRatio: ratio, totalEpochs: total)
    }

    public var typeName: String { "adaptive_warmup" }

    public var parametersJSON: JSONValue {
        .object([("max_beta", .number(maxBeta)), ("beta_warmup_ratio", .number(warmupRatio)), ("total_epochs", .number(totalEpochs))])
    }

    public var summary: String {
        "adaptive warm-up to \(Format.short(maxBeta)) over T·r = \(totalEpochs)·\(Format.short(warmupRatio)) = \(Format.short(warmupEpochs)) epochs"
    }

    public func warnings(over window: RunWindow) -> [String] {
        let peak = value(at: window.last)
        guard peak < maxBeta else { return [] }
        return ["adaptive warm-up over T·r = \(Format.short(warmupEpochs)) epochs reaches max_beta \(Format.short(maxBeta)) only at 0-based epoch \(Format.number((warmupEpochs - 1).rounded(.up))), but \(window.name) ends at \(window.lastDescription): β peaks at \(Format.short(peak))"]
    }
}
