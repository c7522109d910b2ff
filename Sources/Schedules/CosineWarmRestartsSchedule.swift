import JSONConfig
import RealModule

/// SGDR, cosine annealing with warm restarts (Loshchilov & Hutter 2017), matching PyTorch's
/// `CosineAnnealingWarmRestarts(T_0, T_mult, eta_min)`:
///
/// `lr = η_min + (base − η_min)·(1 + cos(π·T_cur/T_i))/2`
///
/// where cycle n lasts `T_i = T_0·T_mult^n` epochs and starts at `T_0·(T_mult^n − 1)/(T_mult − 1)`
/// (`n·T_0` when T_mult = 1), and `T_cur` is the time since the cycle started. For integer `T_mult` this is
/// exactly PyTorch's schedule at integer and fractional epochs (same formula and operation order; the cycle
/// index is found by the same logarithm and then corrected, so `log` rounding can never put an epoch in the
/// wrong cycle). Unlike PyTorch, `T_0` may be fractional and `T_mult` any real ≥ 1 (pytorch/pytorch #95122),
/// and `cycle_decay` d scales each cycle's peak: `base_n = η_min + (base − η_min)·dⁿ` (Keras `m_mul`,
/// timm `cycle_decay`; default 1, PyTorch's behaviour).
public struct CosineWarmRestartsSchedule: ProgressSchedule, Hashable {
    public var base: Double
    public var etaMin: Double
    public var t0: Double
    public var tMult: Double
    public var cycleDecay: Double

    public init(base: Double, t0: Double, tMult: Double = 1, etaMin: Double = 0, cycleDecay: Double = 1) {
        precondition(t0 > 0 && tMult >= 1, "T_0 must be positive and T_mult at least 1")
        self.base = base
        self.t0 = t0
        self.tMult = tMult
        self.etaMin = etaMin
        self.cycleDecay = cycleDecay
    }

    /// The epoch where cycle `n` starts.
    public func cycleStart(_ n: Int) -> Double {
        if tMult == 1 { return Double(n) * t0 }
        return t0 * (Double.pow(tMult, Double(n)) - 1) / (tMult - 1)
    }

    /// The cycle containing epoch `t`, with the time since its start and its length.
    public func cycle(at epoch: Double) -> (index: Int, timeInCycle: Double, length: Double) {
        let t = max(0, epoch)
        if tMult == 1 {
            let index = (t / t0).rounded(.down)
            guard index < 9e15 else { return (Int.max, 0, t0) }
            var n = Int(index)
            while n > 0 && cycleStart(n) > t { n -= 1 }
            while cycleStart(n + 1) <= t { n += 1 }
            return (n, t.truncatingRemainder(dividingBy: t0), t0)
        }
        // PyTorch: n = int(log(epoch/T_0·(T_mult − 1) + 1, T_mult)); then correct for log rounding. A T_0 so small
        // (a subnormal) that epoch/T_0 overflows puts the epoch past any countable cycle: the last one, at its start.
        let estimate = Double.log(t / t0 * (tMult - 1) + 1) / Double.log(tMult)
        guard estimate.isFinite, estimate < 9e15 else { return (Int.max, 0, .infinity) }
        var n = Int(estimate)
        while n > 0 && cycleStart(n) > t { n -= 1 }
        while cycleStart(n + 1) <= t { n += 1 }
        return (n, t - cycleStart(n), t0 * Double.pow(tMult, Double(n)))
    }

    public func value(at progress: TrainingProgress) -> Double {
        let (index, timeInCycle, length) = cycle(at: progress.epoch)
        let peak = cycleDecay == 1 ? base : etaMin + (base - etaMin) * Double.pow(cycleDecay, Double(index))
        return etaMin + (peak - etaMin) * (1 + Double.cos(Double.pi * timeInCycle / length)) / 2
    }
}

extension CosineWarmRestartsSchedule: ScheduleKind {
    /// `cosine_warm_restarts`: `base`, `T_0`, `T_mult` ≥ 1 (1), `eta_min` (0), `cycle_decay` (1).
    public static let definition = ScheduleTypeDefinition(names: ["cosine_warm_restarts"], meaning: "SGDR: cosine from base to eta_min, restarting after T_0 epochs, cycles growing by T_mult (PyTorch CosineAnnealingWarmRestarts)") { _, p, reader throws(ConfigError) in
        let base = try reader.baseValue(p)
        let t0 = try reader.length(p, "T_0", default: nil, meaning: "epochs in the first cycle")
        let tMult = try reader.positive(p, "T_mult", default: 1)
        if tMult < 1 {
            throw p.error(at: "T_mult", "must be ≥ 1 (cycles may grow, not shrink, or infinitely many restarts would crowd into finite time); got \(Format.number(tMult))")
        }
        let etaMin = try reader.nonNegative(p, "eta_min", default: 0)
        if etaMin > base {
            throw p.error(at: "eta_min", "eta_min (\(Format.number(etaMin))) must not exceed \(p.contains("base") ? "base" : reader.baseName) (\(Format.number(base)))")
        }
        let decay = try reader.positive(p, "cycle_decay", default: 1)
        if decay > 1 { throw p.error(at: "cycle_decay", "must be in (0, 1], the factor on each cycle's peak; got \(Format.number(decay))") }
        return CosineWarmRestartsSchedule(base: base, t0: t0, tMult: tMult, etaMin: etaMin, cycleDecay: decay)
    }

    public var typeName: String { "cosine_warm_restarts" }

    public var parametersJSON: JSONValue {
        .object([("base", .number(base)), ("T_0", .number(t0)), ("T_mult", .number(tMult)), ("eta_min", .number(etaMin)), ("cycle_decay", .number(cycleDecay))])
    }

    public var summary: String {
        let decay = cycleDecay == 1 ? "" : ", peak × \(Format.short(cycleDecay)) per cycle"
        return "cosine warm restarts from \(Format.short(base)) to \(Format.short(etaMin)), T_0 = \(Format.short(t0)), T_mult = \(Format.short(tMult))\(decay)"
    }

    public func warnings(over window: RunWindow) -> [String] {
        let end = window.length
        guard end > 0 else { return [] }
        let (index, timeInCycle, length) = cycle(at: end)
        guard timeInCycle > 1e-9 else { return [] }
        let start = cycleStart(index) + window.offset
        let next = cycleStart(index + 1) + window.offset
        let suggestion = start > 0 ? "runs of \(Format.short(start)) or \(Format.short(next)) epochs end" : "a run of \(Format.short(next)) epochs ends"
        return ["\(window.name) ends \(Format.percent(timeInCycle / length)) of the way through warm-restart cycle \(index + 1) (epochs \(Format.short(start))–\(Format.short(next))): the final value is \(Format.short(value(at: window.ownLast))), not eta_min \(Format.short(etaMin)); \(suggestion) on a cycle boundary"]
    }
}
