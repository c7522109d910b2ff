import JSONConfig
import RealModule

/// Warm restarts: a base schedule that starts over at restart epochs whose intervals grow (or shrink) by a
/// multiplier. Seed 000's `WarmRestartBetaScheduler`.
///
/// Restart k ≥ 1 is at epoch `R_k = round(I·(m^k − 1)/(m − 1))` (`k·I` when m = 1) for `restart_interval` I > 0
/// and `restart_multiplier` m > 0, non-integer allowed: the k-th interval is `I·m^(k−1)`, so the seed's
/// I = 40, m = 1.2 restarts at 40, 88 (40 + 48), 146 (88 + 57.6, rounded). Rounding is half-up, and a sum
/// within 1e-9 (relative) below a half counts as the half, so decimal ties such as 199.5 round up the way a
/// person computing by hand expects instead of following binary representation error. Restarts that round to
/// the same epoch count once; one that rounds to epoch 0 is no restart.
///
/// The base schedule sees the epochs since the last restart, `t − R_k` (and steps shifted to match), so β is
/// exactly the base schedule's start value at every restart.
public struct WarmRestartSchedule: ProgressSchedule, Hashable {
    public var base: Schedule
    public var restartInterval: Double
    public var restartMultiplier: Double

    /// Restart indices are searched up to this k; beyond it, intervals that shrink have converged and
    /// intervals that grow are astronomically far away.
    static let maximumRestartIndex = 1 << 40

    public init(base: Schedule, restartInterval: Double, restartMultiplier: Double = 1) {
        precondition(restartInterval > 0 && restartMultiplier > 0, "interval and multiplier must be positive")
        self.base = base
        self.restartInterval = restartInterval
        self.restartMultiplier = restartMultiplier
    }

    /// `S_k = I·(m^k − 1)/(m − 1)`, the unrounded epoch of restart k (`k·I` when m = 1).
    public func unroundedRestartEpoch(_ k: Int) -> Double {
        if k <= 0 { return 0 }
        if restartMultiplier == 1 { return Double(k) * restartInterval }
        let power = Double.pow(restartMultiplier, Double(k))
        return restartInterval * (power - 1) / (restartMultiplier - 1)
    }

    /// `R_k`, the epoch of restart k, as a whole number held in a Double (it may be +∞ for huge k).
    public func restartEpoch(_ k: Int) -> Double {
        let sum = unroundedRestartEpoch(k)
        guard sum.isFinite else { return .infinity }
        return (sum + 0.5 + 1e-9 * max(1, abs(sum))).rounded(.down)
    }

    /// The largest k ≥ 0 with `R_k ≤ epoch` (R_0 = 0). `R_k` never decreases with k, so an exponential
    /// search followed by bisection finds it with O(log k) evaluations and no stored table.
    func lastRestartIndex(atOrBefore epoch: Double) -> Int {
        var low = 0
        var high = 1
        while restartEpoch(high) <= epoch {
            low = high
            if high >= WarmRestartSchedule.maximumRestartIndex { return high }
            high *= 2
        }
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if restartEpoch(middle) <= epoch { low = middle } else { high = middle }
        }
        return low
    }

    /// Restart information for the epoch containing `progress` (seed 000's `get_restart_info`).
    public func restartState(at progress: TrainingProgress) -> RestartInfo {
        let epochIndex = progress.epoch.rounded(.down)
        let k = lastRestartIndex(atOrBefore: epochIndex)
        let last = k > 0 ? restartEpoch(k) : 0
        let lastEpoch = last > 0 && last < 9e15 ? Int(last) : 0
        var next: Int?
        if k < WarmRestartSchedule.maximumRestartIndex {
            let candidate = restartEpoch(k + 1)
            if candidate < 9e15 { next = Int(candidate) }
        }
        return RestartInfo(
            lastRestartEpoch: lastEpoch,
            epochsSinceRestart: progress.epoch - Double(lastEpoch),
            nextRestartEpoch: next,
            isRestartEpoch: lastEpoch > 0 && Double(lastEpoch) == epochIndex)
    }

    /// All restart epochs k ≥ 1 that fall in `0..<epochs`, in order, without repeats.
    ///
    /// Walks from one distinct restart epoch to the next: the restart after epoch e is `R_(k+1)` for
    /// k = lastRestartIndex(atOrBefore: e), found by bisection, so the cost is O(restarts · log k) however
    /// many restart indices round to the same epoch (an interval of 1e-6 epochs puts a million on each).
    public func restartEpochs(before epochs: Int) -> [Int] {
        var result: [Int] = []
        var epoch = 0.0
        while true {
            let k = lastRestartIndex(atOrBefore: epoch)
            if k >= WarmRestartSchedule.maximumRestartIndex { break }
            let next = restartEpoch(k + 1)
            guard next < Double(epochs) else { break }
            result.append(Int(next))
            epoch = next
        }
        return result
    }

    public func value(at progress: TrainingProgress) -> Double {
        let info = restartState(at: progress)
        return base.value(at: progress.shifted(byEpochs: Double(info.lastRestartEpoch)))
    }
}

extension WarmRestartSchedule: ScheduleKind {
    public static let definition = ScheduleTypeDefinition(names: ["warm_restart"], meaning: "a base schedule that starts over at restart epochs whose intervals grow by restart_multiplier", restartable: false) { _, p, reader throws(ConfigError) in
        let typeNode = try p.required("base_scheduler_type", "the schedule that restarts: \(ScheduleRegistry.restartableNames.joined(separator: ", "))")
        let baseName = try reader.typeName(typeNode, restartableOnly: true, what: "base_scheduler_type")
        let kwargs: ConfigObject
        if let node = p.node("base_scheduler_kwargs") {
            kwargs = try node.object()
        } else {
            kwargs = try ConfigObject(JSONValue(.object([]), position: typeNode.value.position), path: p.path.appending("base_scheduler_kwargs"), file: p.file)
        }
        if kwargs.contains("type") {
            throw kwargs.error(at: "type", "the base type goes in base_scheduler_type, not in base_scheduler_kwargs")
        }
        let base = try reader.schedule(named: baseName, parameters: kwargs)
        let interval = try reader.length(p, "restart_interval", default: nil, meaning: "epochs until the first restart")
        let multiplier = try reader.positive(p, "restart_multiplier", default: 1)
        return WarmRestartSchedule(base: base, restartInterval: interval, restartMultiplier: multiplier)
    }

    public var typeName: String { "warm_restart" }
    /// The first interval (later ones grow with a multiplier ≥ 1; with a multiplier below 1 they shrink, and
    /// the second is the shortest worth counting).
    public var shortestPeriod: Double? {
        Schedule.shortest([restartInterval * min(1, restartMultiplier), base.shortestPeriod])
    }

    public var parametersJSON: JSONValue {
        .object([("base_scheduler_type", .string(base.typeName)), ("base_scheduler_kwargs", base.parametersJSON),
                 ("restart_interval", .number(restartInterval)), ("restart_multiplier", .number(restartMultiplier))])
    }

    public var summary: String {
        let growth = restartMultiplier == 1 ? "" : " ×\(Format.short(restartMultiplier))"
        return "warm restarts every \(Format.short(restartInterval)) epochs\(growth) of \(base.summary)"
    }

    public func restartInfo(at progress: TrainingProgress) -> RestartInfo? {
        restartState(at: progress)
    }

    public func warnings(over window: RunWindow) -> [String] {
        let first = restartEpoch(1)
        if first >= Double(window.numEpochs) || first <= 0 {
            let at = first.isFinite ? "epoch \(Format.number(first))" : "infinitely far"
            return ["no restart happens within \(window.name) (\(window.numEpochs) epochs): the first restart is at \(at)"]
        }
        // Within the first interval, does the base schedule finish its warm-up before it restarts?
        let interval = RunWindow(numEpochs: Int(first), stepsPerEpoch: window.stepsPerEpoch, name: "the first restart interval")
        return base.warnings(over: interval).map { "before the restart at epoch \(Format.number(first)), \($0)" }
    }
}
