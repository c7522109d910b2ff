import JSONConfig

/// Cyclical annealing: β repeats a wave between `lo` and `hi` every `cycleLength` epochs.
///
/// With `u = (t mod L)/L`:
/// - `cosine`:   `β = lo + (hi − lo)·(1 − cos 2πu)/2`
/// - `triangle`: `β = lo + (hi − lo)·(1 − |2u − 1|)`
/// - `ramp`:     `β = lo + (hi − lo)·min(1, u/R)` (Fu et al. 2019, "Cyclical Annealing Schedule", with
///   ratio R; their reference setting is 4 cycles, R = 0.5)
///
/// Config (seed 000): `cycle_length` L in epochs, or `num_cycles` M over `num_epochs` (L = num_epochs/M,
/// not rounded); `min_beta` (0), `max_beta` (1), `wave_type` (`cosine`), `ratio` (0.5, ramp only).
/// Evaluated per step, `t` is fractional and each cycle ramps per iteration as in Fu et al.
public struct CyclicalSchedule: ProgressSchedule, Hashable {
    public var start: Double
    public var end: Double
    public var cycleLength: Double
    public var wave: WaveType

    public init(start: Double = 0, end: Double = 1, cycleLength: Double, wave: WaveType = .cosine) {
        precondition(cycleLength > 0, "cycleLength must be positive")
        self.start = start
        self.end = end
        self.cycleLength = cycleLength
        self.wave = wave
    }

    /// The position in the current cycle, `u = (t mod L)/L ∈ [0, 1)`.
    public func cyclePosition(at progress: TrainingProgress) -> Double {
        var remainder = progress.epoch.truncatingRemainder(dividingBy: cycleLength)
        if remainder < 0 { remainder += cycleLength }
        return remainder / cycleLength
    }

    public func value(at progress: TrainingProgress) -> Double {
        interpolate(start, end, wave.fraction(cyclePosition(at: progress)))
    }
}

extension CyclicalSchedule: ScheduleKind {
    public static let definition = ScheduleTypeDefinition(names: ["cyclical"], meaning: "a cosine, triangle or ramp wave between min_beta and max_beta every cycle_length epochs (or num_cycles over the run)") { _, p, reader throws(ConfigError) in
        let (low, high) = try reader.betaRange(p)
        let length: Double
        switch try p.oneOf(["cycle_length", "num_cycles"]) {
        case "cycle_length":
            length = try reader.length(p, "cycle_length", default: nil)
        case "num_cycles":
            let cycles = try reader.positive(p, "num_cycles", default: nil)
            guard let numEpochs = reader.numEpochs else {
                throw p.error(at: "num_cycles", "num_cycles needs the run length: give training.num_epochs (or --epochs), or cycle_length instead")
            }
            length = Double(numEpochs) / cycles
            if length < ScheduleReader.minimumLength {
                throw p.error(at: "num_cycles", "\(Format.number(cycles)) cycles over \(numEpochs) epochs make cycles shorter than \(Format.number(ScheduleReader.minimumLength)) epochs; use at most \(Format.number(Double(numEpochs) / ScheduleReader.minimumLength))")
            }
        default:
            throw p.missing(["cycle_length", "num_cycles"], "missing required key \"cycle_length\" (epochs per cycle) or \"num_cycles\" (cycles over num_epochs)")
        }
        let waveName = try p.node("wave_type")?.choice(["cosine", "triangle", "ramp"], what: "wave_type") ?? "cosine"
        let wave: WaveType
        if waveName == "ramp" {
            let ratio = try p.number("ratio", default: 0.5)
            if !(ratio > 0 && ratio <= 1) {
                throw p.error(at: "ratio", "must be in (0, 1], the fraction of each cycle spent rising; got \(Format.number(ratio))")
            }
            wave = .ramp(ratio: ratio)
        } else {
            if p.contains("ratio") {
                throw p.error(at: "ratio", "ratio only applies to wave_type \"ramp\" (this schedule's wave_type is \"\(waveName)\")")
            }
            wave = waveName == "cosine" ? .cosine : .triangle
        }
        return CyclicalSchedule(start: low, end: high, cycleLength: length, wave: wave)
    }

    public var typeName: String { "cyclical" }

    public var parametersJSON: JSONValue {
        var members: [(String, JSONValue)] = [("cycle_length", .number(cycleLength)), ("min_beta", .number(start)), ("max_beta", .number(end)),
                                              ("wave_type", .string(wave.typeName))]
        if case .ramp(let ratio) = wave { members.append(("ratio", .number(ratio))) }
        return .object(members)
    }

    public var summary: String {
        var waveText = "\(wave.typeName) wave"
        if case .ramp(let ratio) = wave { waveText = "ramp (rising over \(Format.percent(ratio)) of each cycle)" }
        return "cyclical \(waveText) \(Format.short(start)) ↔ \(Format.short(end)), \(Format.short(cycleLength))-epoch cycles"
    }

    public var shortestPeriod: Double? { cycleLength }

    public func warnings(over window: RunWindow) -> [String] {
        var result = WarningText.cutShort(period: cycleLength, window: window, unit: "cycle", peak: end, schedule: self)
        // Sampled once per epoch, a wave may never be at its peak at an epoch start (a 15-epoch triangle).
        if window.evaluatedPerEpoch, cycleLength <= Double(window.numEpochs), end > start {
            let sampled = (0..<min(window.numEpochs, Int(cycleLength.rounded(.up)) + 1)).map { value(at: .epoch($0)) }
            let highest = sampled.max() ?? start
            // Below 99 % of the way it matters (a 15-epoch triangle tops out at 93 %); a 33-epoch cosine's 99.8 % does not.
            if WarningText.fractionOfRange(highest, start, end) < 0.99 {
                result.append("sampled once per epoch, the \(wave.typeName) wave never reaches max_beta \(Format.short(end)): it peaks at \(Format.short(highest, digits: 4)) (\(Format.percent(WarningText.fractionOfRange(highest, start, end))) of the way), because no epoch starts at the top of a \(Format.short(cycleLength))-epoch cycle; give a cycle_length that puts an epoch there, or beta_granularity \"step\"")
            }
        }
        return result
    }
}
