import JSONConfig
import RealModule

/// Cosine annealing from `base` to `etaMin` over `tMax` epochs:
/// `lr = η_min + (base − η_min)·(1 + cos(π·t/T_max))/2` for `t ≤ T_max`, then `η_min`.
///
/// PyTorch's `CosineAnnealingLR` closed form, except that it holds `η_min` after `T_max` instead of
/// rising again, which is what a run longer than `T_max` wants.
public struct CosineAnnealingSchedule: ProgressSchedule, Hashable {
    public var base: Double
    public var etaMin: Double
    public var tMax: Double

    public init(base: Double, etaMin: Double = 0, tMax: Double) {
        precondition(tMax > 0, "tMax must be positive")
        self.base = base
        self.etaMin = etaMin
        self.tMax = tMax
    }

    public func value(at progress: TrainingProgress) -> Double {
        let t = min(max(0, progress.epoch), tMax)
        return etaMin + (base - etaMin) * (1 + Double.cos(Double.pi * t / tMax)) / 2
    }
}

extension CosineAnnealingSchedule: ScheduleKind {
    /// `cosine_annealing` (`cosine` in `lr_scheduler`, PyTorch's name): `base`, `eta_min` (0), `T_max`
    /// (default: the rest of the run).
    public static let definition = ScheduleTypeDefinition(names: ["cosine_annealing"], meaning: "cosine from base down to eta_min over T_max epochs (PyTorch CosineAnnealingLR; \"cosine\" in lr_scheduler)") { _, p, reader throws(ConfigError) in
        let base = try reader.baseValue(p)
        let etaMin = try reader.nonNegative(p, "eta_min", default: 0)
        if etaMin > base {
            throw p.error(at: "eta_min", "eta_min (\(Format.number(etaMin))) must not exceed \(p.contains("base") ? "base" : reader.baseName) (\(Format.number(base)))")
        }
        let tMax: Double
        if let value = try p.number("T_max") {
            if value <= 0 { throw p.error(at: "T_max", "must be greater than 0, got \(Format.number(value))") }
            tMax = value
        } else if let numEpochs = reader.numEpochs {
            // By default the cosine fills what the run leaves after anything before it (a warm-up).
            tMax = Double(numEpochs) - reader.epochsBefore
            if tMax <= 0 { throw p.error("the warm-up fills the whole run; give T_max") }
        } else {
            throw p.error("missing required key \"T_max\" (epochs from the base value down to eta_min; defaults to num_epochs when that is known)")
        }
        return CosineAnnealingSchedule(base: base, etaMin: etaMin, tMax: tMax)
    }

    public var typeName: String { "cosine_annealing" }
    public var parametersJSON: JSONValue { .object([("base", .number(base)), ("T_max", .number(tMax)), ("eta_min", .number(etaMin))]) }
    public var summary: String { "cosine from \(Format.short(base)) to \(Format.short(etaMin)) over \(Format.short(tMax)) epochs" }

    public func warnings(over window: RunWindow) -> [String] {
        let end = window.length
        guard tMax > end + 1e-9 else { return [] }
        return ["cosine annealing reaches eta_min \(Format.short(etaMin)) after T_max = \(Format.short(tMax)) epochs, but \(window.name) leaves it \(Format.short(end)): the final value is \(Format.short(value(at: window.ownLast)))"]
    }
}
