import Foundation
import JSONConfig

/// A β schedule that `anneal compare --schedules` knows by name, as the training keys it puts in place of the
/// base config's β keys. Every built-in schedule goes from 0 to 1 and is written in terms of the run length
/// E (`training.num_epochs`), so the same names compare schedules over any run length:
///
/// | name | β |
/// |---|---|
/// | `constant` | 1 throughout (the plain ELBO, no annealing) |
/// | `linear` | linear warm-up 0 → 1 over the first half of the run (`warmup_ratio` 0.5), then 1 |
/// | `cosine` | cosine warm-up 0 → 1 over the first half, then 1 |
/// | `exponential` | saturating exponential warm-up (rate 5) 0 → 1 over the first half, then 1 |
/// | `sigmoid` | logistic 0 → 1, halfway at epoch E/4, steepness 20/E per epoch |
/// | `cyclical` | cosine wave 0 → 1 → 0, 4 cycles (`num_cycles` 4) |
/// | `cyclical_ramp` | 4 cycles, each rising linearly over its first half and then held at 1 (Fu et al. 2019; `anneal train`'s default) |
/// | `warm_restart` | cosine warm-up 0 → 1 over I/2 epochs, restarting at intervals I, 1.2·I, 1.44·I, … with I = round(4E/15) (at least 2): the 40 of 150 epochs and 1.2 multiplier of the usual warm-restart example, scaled to the run |
/// | `hierarchical` | global KL weight: cosine warm-up 0 → 1 over the first half; local KL weight: cosine wave 0 → 1 → 0, 4 cycles (a hierarchical CVAE only) |
/// | `adaptive_warmup` | min(1, (e + 1)/(E/2)) for epoch e: reaches 1 halfway (`beta_warmup_ratio` 0.5) |
public struct BuiltInSchedule: Sendable {
    public var name: String
    /// What the schedule does, in words, for help texts and the README.
    public var meaning: String
    /// The β training keys for a run of `numEpochs` epochs.
    public var members: @Sendable (_ numEpochs: Int) -> [(String, JSONValue)]

    public init(name: String, meaning: String, members: @escaping @Sendable (_ numEpochs: Int) -> [(String, JSONValue)]) {
        self.name = name
        self.meaning = meaning
        self.members = members
    }

    /// The warm-restart interval for a run of `numEpochs`: round(4E/15), at least 2.
    public static func restartInterval(numEpochs: Int) -> Int {
        max(2, Int((Double(numEpochs) * 4 / 15).rounded()))
    }

    private static func single(_ type: String, _ parameters: [(String, JSONValue)]) -> [(String, JSONValue)] {
        [("beta_scheduler_type", .string(type)), ("beta_scheduler_params", .object(parameters))]
    }

    private static let halfRunWarmup: [(String, JSONValue)] = [("min_beta", .number(0)), ("max_beta", .number(1)), ("warmup_ratio", .number(0.5))]
    private static let cosineWave: [(String, JSONValue)] = [("num_cycles", .number(4)), ("wave_type", .string("cosine")), ("min_beta", .number(0)), ("max_beta", .number(1))]

    /// Every built-in schedule, in the order help texts list them.
    public static let all: [BuiltInSchedule] = [
        BuiltInSchedule(name: "constant", meaning: "β = 1 throughout (the plain ELBO, no annealing)") { _ in
            single("constant", [("beta", .number(1))])
        },
        BuiltInSchedule(name: "linear", meaning: "linear warm-up 0 → 1 over the first half of the run, then 1") { _ in
            single("linear", halfRunWarmup)
        },
        BuiltInSchedule(name: "cosine", meaning: "cosine warm-up 0 → 1 over the first half of the run, then 1") { _ in
            single("cosine", halfRunWarmup)
        },
        BuiltInSchedule(name: "exponential", meaning: "saturating exponential warm-up (rate 5) 0 → 1 over the first half, then 1") { _ in
            single("exponential", halfRunWarmup + [("rate", .number(5))])
        },
        BuiltInSchedule(name: "sigmoid", meaning: "logistic 0 → 1, halfway at a quarter of the run, steepness 20/E per epoch") { epochs in
            single("sigmoid", [("min_beta", .number(0)), ("max_beta", .number(1)), ("steepness", .number(20 / Double(epochs))), ("midpoint_ratio", .number(0.25))])
        },
        BuiltInSchedule(name: "cyclical", meaning: "cosine wave 0 → 1 → 0, 4 cycles over the run") { _ in
            single("cyclical", cosineWave)
        },
        BuiltInSchedule(name: "cyclical_ramp", meaning: "4 cycles, each rising linearly over its first half, then 1 (Fu et al. 2019; anneal train's default)") { _ in
            single("cyclical", [("num_cycles", .number(4)), ("wave_type", .string("ramp")), ("ratio", .number(0.5)), ("min_beta", .number(0)), ("max_beta", .number(1))])
        },
        BuiltInSchedule(name: "warm_restart", meaning: "cosine warm-up 0 → 1 over I/2 epochs, restarting after I, 1.2·I, 1.44·I, … epochs, I = round(4E/15) ≥ 2") { epochs in
            let interval = restartInterval(numEpochs: epochs)
            return single("warm_restart", [
                ("base_scheduler_type", .string("cosine")),
                ("base_scheduler_kwargs", .object([("max_beta", .number(1)), ("warmup_epochs", .number(Double(interval) / 2))])),
                ("restart_interval", .number(interval)), ("restart_multiplier", .number(1.2)),
            ])
        },
        BuiltInSchedule(name: "hierarchical", meaning: "global KL weight: cosine warm-up 0 → 1 over the first half; local: cosine wave 0 → 1 → 0, 4 cycles (hierarchical CVAE)") { _ in
            [("beta_scheduler_type", .string("hierarchical")),
             ("beta_scheduler_params", .object([
                 ("global_scheduler", .object([("type", .string("cosine"))] + halfRunWarmup)),
                 ("local_scheduler", .object([("type", .string("cyclical"))] + cosineWave)),
             ]))]
        },
        BuiltInSchedule(name: "adaptive_warmup", meaning: "min(1, (e + 1)/(E/2)) at epoch e: linear, reaching 1 halfway") { _ in
            single("adaptive_warmup", [("beta_warmup_ratio", .number(0.5)), ("max_beta", .number(1))])
        },
    ]

    /// The built-in schedule called `name` (hyphens read as underscores), or nil.
    public static func named(_ name: String) -> BuiltInSchedule? {
        let normalised = name.replacingOccurrences(of: "-", with: "_")
        return all.first { $0.name == normalised }
    }

    public static var names: [String] { all.map(\.name) }
}
