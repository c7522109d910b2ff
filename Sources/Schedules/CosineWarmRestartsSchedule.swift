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
        // PyTorch: n = int(log(epoch/T_0·(T_mult − 1) + 1, T_mult)); then correct for log rounding.
        var n = Int(Double.log(t / t0 * (tMult - 1) + 1) / Double.log(tMult))
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
