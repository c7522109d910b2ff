import JSONConfig
import RealModule

/// Logistic annealing (Bowman et al. 2016): `β = lo + (hi − lo) / (1 + e^(−k·(x − x₀)))`.
///
/// `x` is the epoch `t` when the midpoint is given in epochs (`midpoint_epochs`, `midpoint_ratio`), or the
/// global step when it is given in steps (`midpoint_steps`); `k` (`steepness`) is per unit of that axis.
/// β is exactly halfway at the midpoint; it approaches but never equals `lo` and `hi`. Bowman-style
/// settings are `steepness 0.0025`, `midpoint_steps 2500` (timbmg/Sentence-VAE).
public struct SigmoidSchedule: ProgressSchedule, Hashable {
    public var start: Double
    public var end: Double
    public var steepness: Double
    public var midpoint: TrainingSpan

    public init(start: Double = 0, end: Double = 1, steepness: Double, midpoint: TrainingSpan) {
        self.start = start
        self.end = end
        self.steepness = steepness
        self.midpoint = midpoint
    }

    public func value(at progress: TrainingProgress) -> Double {
        let logistic = 1 / (1 + Double.exp(-steepness * midpoint.offset(of: progress)))
        return start + (end - start) * logistic
    }
}

extension SigmoidSchedule: ScheduleKind {
    public static let definition = ScheduleTypeDefinition(names: ["sigmoid"], meaning: "a logistic curve from min_beta to max_beta, halfway at the midpoint (Bowman et al. 2016)") { _, p, reader throws(ConfigError) in
        let (low, high) = try reader.betaRange(p)
        let steepness = try reader.positive(p, "steepness", default: nil, meaning: "k in 1/(1 + e^(−k·(t − t0))), per epoch or per step")
        let midpoint = try reader.span(p, prefix: "midpoint", meaning: "t0, where β is halfway between min_beta and max_beta")
        return SigmoidSchedule(start: low, end: high, steepness: steepness, midpoint: midpoint)
    }

    public var typeName: String { "sigmoid" }

    public var parametersJSON: JSONValue {
        .object([("min_beta", .number(start)), ("max_beta", .number(end)), ("steepness", .number(steepness)), midpoint.json(prefix: "midpoint")])
    }

    public var summary: String {
        let point: String
        switch midpoint {
        case .epochs(let epochs): point = "epoch \(Format.short(epochs))"
        case .steps(let steps): point = "step \(steps)"
        }
        return "sigmoid \(Format.short(start)) → \(Format.short(end)), midpoint \(point), steepness \(Format.short(steepness))"
    }

    public func warnings(over window: RunWindow) -> [String] {
        let peak = value(at: window.last)
        let fraction = WarningText.fractionOfRange(peak, start, end)
        guard fraction < 0.99 else { return [] }
        return ["the sigmoid reaches only \(Format.percent(fraction)) of the way to max_beta \(Format.short(end)) by the end of \(window.name) (β = \(Format.short(peak)) at \(window.lastDescription)); move the midpoint earlier or raise steepness"]
    }
}
