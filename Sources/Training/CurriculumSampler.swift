import Data
import Foundation
import JSONConfig
import Tensors

/// Easy examples first, harder ones admitted as the epochs pass (Bengio et al. 2009, "Curriculum learning";
/// the pacing function of Hacohen & Weinshall 2019).
///
/// Each example has a difficulty `d` (the data set's: the ternary operations' 3-adic valuation, or
/// `data.difficulty` for user data), normalised to `u = (d − d_min)/(d_max − d_min)` — or `1 − u` with
/// `easiest: "high"`, where a high value is the easy end (the ternary operations' high valuations lie near
/// the origin). In epoch `e` the examples with `u ≤ a(e) = min(1, start + pace·e)` are allowed (always at least
/// the easiest level). The epoch's order has one entry per training example, filled with fresh shuffles of the
/// allowed examples, one after another, so each allowed example appears ⌊n/k⌋ or ⌈n/k⌉ times (k allowed of n);
/// from the epoch where every example is allowed it is exactly `shuffled`.
///
/// Deterministic by the run's generator; the epoch's order is in every checkpoint, so a run resumed mid-epoch
/// continues it. Config: `{"type": "curriculum", "pace": 0.1, "start": 0, "easiest": "low"}`.
public struct CurriculumSampler: Sampler, Hashable {
    /// The fraction of the difficulty range allowed at epoch 0.
    public var start: Double
    /// The fraction added per epoch.
    public var pace: Double
    /// Whether the easy end is the lowest difficulty value (`false`: the highest).
    public var easiestIsLow: Bool

    public init(start: Double = 0, pace: Double = 0.1, easiestIsLow: Bool = true) {
        self.start = start
        self.pace = pace
        self.easiestIsLow = easiestIsLow
    }

    public static let definition = SamplerDefinition(name: "curriculum", meaning: "easy examples first; the allowed difficulty grows by pace each epoch") { p throws(ConfigError) in
        let pace = try p.number("pace", default: 0.1)
        if !(pace > 0 && pace <= 1) { throw p.error(at: "pace", "must be in (0, 1] (the fraction of the difficulty range added per epoch), got \(p.node("pace")!.value.briefDescription)") }
        let start = try p.number("start", default: 0)
        if !(start >= 0 && start <= 1) { throw p.error(at: "start", "must be in [0, 1] (the fraction of the difficulty range allowed at epoch 0), got \(p.node("start")!.value.briefDescription)") }
        let easiest = try p.node("easiest")?.choice(["low", "high"], what: "easy end of the difficulty") ?? "low"
        return CurriculumSampler(start: start, pace: pace, easiestIsLow: easiest == "low")
    }

    public var typeName: String { "curriculum" }

    public var parametersJSON: JSONValue {
        .object([("pace", .number(pace)), ("start", .number(start)), ("easiest", .string(easiestIsLow ? "low" : "high"))])
    }

    public var summary: String {
        "curriculum (\(easiestIsLow ? "low" : "high") difficulty first, \(start.formatted()) of the range at epoch 0, +\(pace.formatted()) per epoch, all from epoch \(fullEpoch))"
    }

    /// The first epoch at which every example is allowed: ⌈(1 − start)/pace⌉.
    public var fullEpoch: Int { max(0, Int(((1 - start) / pace - 1e-9).rounded(.up))) }

    /// The allowed fraction of the difficulty range in epoch `epoch`.
    public func allowedFraction(epoch: Int) -> Double { min(1, start + pace * Double(epoch)) }

    public func requirement(for dataset: Dataset) -> String? {
        dataset.difficulty == nil ? "the curriculum sampler orders examples by difficulty, but the \(dataset.name) data has none (give data.difficulty_path, a file of one number per example)" : nil
    }

    /// The training examples allowed in epoch `epoch`.
    public func allowed(epoch: Int, training: [Int], dataset: Dataset) -> [Int] {
        guard let difficulty = dataset.difficulty, !training.isEmpty else { return training }
        let values = training.map { easiestIsLow ? difficulty[$0] : -difficulty[$0] }
        let low = values.min()!, high = values.max()!
        guard high > low else { return training }
        let threshold = low + allowedFraction(epoch: epoch) * (high - low)
        // The easiest level is always allowed, so an epoch is never empty; 1e-12 of the range absorbs rounding.
        let tolerance = 1e-12 * (high - low)
        return zip(training, values).filter { $0.1 <= max(threshold, low) + tolerance }.map(\.0)
    }

    public func order(epoch: Int, training: [Int], dataset: Dataset, generator: inout RandomGenerator) -> [Int] {
        let pool = allowed(epoch: epoch, training: training, dataset: dataset)
        var order: [Int] = []
        order.reserveCapacity(training.count)
        while order.count < training.count {
            var pass = pool
            generator.shuffle(&pass)
            order.append(contentsOf: pass.prefix(training.count - order.count))
        }
        return order
    }
}
