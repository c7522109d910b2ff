import JSONConfig

/// A warm-up: from `start` to `end` over `length`, then held at `end`.
///
/// With `p = clamp(t / W, 0, 1)` for a warm-up of `W` epochs (or `step / S` for `S` steps):
/// - `linear`:      `β = lo + (hi − lo)·p`
/// - `cosine`:      `β = lo + (hi − lo)·(1 − cos πp)/2`
/// - `exponential`: `β = lo + (hi − lo)·(1 − e^(−r·p))/(1 − e^(−r))`, reaching `hi` exactly at `W`
/// where `lo = min_beta` (default 0) and `hi = max_beta` (default 1). Source: seed 000 ("linear, cosine,
/// exponential" base schedulers with `max_beta`, `warmup_epochs`); the exponential form is ours, chosen so
/// that it starts at `lo` and ends at `hi` exactly, which a plain `1 − e^(−rt)` never does.
public struct RampSchedule: ProgressSchedule, Hashable {
    public var shape: RampShape
    public var start: Double
    public var end: Double
    public var length: TrainingSpan

    public init(shape: RampShape, start: Double = 0, end: Double = 1, length: TrainingSpan) {
        self.shape = shape
        self.start = start
        self.end = end
        self.length = length
    }

    public func value(at progress: TrainingProgress) -> Double {
        interpolate(start, end, shape.fraction(length.fraction(at: progress)))
    }
}

extension RampSchedule: ScheduleKind {
    public static let definition = ScheduleTypeDefinition(names: ["linear", "cosine", "exponential"], meaning: "a warm-up from min_beta to max_beta over warmup_epochs, warmup_steps or warmup_ratio, then held") { name, p, reader throws(ConfigError) in
        let (low, high) = try reader.betaRange(p)
        let length = try reader.span(p, prefix: "warmup", meaning: "the length of the warm-up from min_beta to max_beta")
        let shape: RampShape
        switch name {
        case "exponential": shape = .exponential(rate: try reader.positive(p, "rate", default: 5))
        case "cosine": shape = .cosine
        default: shape = .linear
        }
        return RampSchedule(shape: shape, start: low, end: high, length: length)
    }

    public var typeName: String { shape.typeName }

    public var parametersJSON: JSONValue {
        var members: [(String, JSONValue)] = [("min_beta", .number(start)), ("max_beta", .number(end))]
        members.append(length.json(prefix: "warmup"))
        if case .exponential(let rate) = shape { members.append(("rate", .number(rate))) }
        return .object(members)
    }

    public var summary: String {
        "\(shape.typeName) warm-up \(Format.short(start)) → \(Format.short(end)) over \(length)"
    }

    public func warnings(over window: RunWindow) -> [String] {
        let peak = value(at: window.last)
        guard peak != end else { return [] }
        let reach: String
        switch length {
        case .epochs(let length): reach = "epoch \(Format.short(length))"
        case .steps(let length): reach = "step \(length)"
        }
        return ["the \(shape.typeName) warm-up reaches max_beta \(Format.short(end)) at \(reach), but \(window.name) ends at \(window.lastDescription): β peaks at \(Format.short(peak)) (\(Format.percent(WarningText.fractionOfRange(peak, start, end))) of the way from min_beta to max_beta)"]
    }
}
