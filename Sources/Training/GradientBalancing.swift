import Foundation
import JSONConfig
import Layers
import Models
import Tensors

/// Balances the gradients of named groups of loss terms, so a small term (a geometric penalty) is not
/// drowned by a large one (the reconstruction), as in the phased hyperbolic recipe.
///
/// Each step, each group's loss (its terms with their weights) is back-propagated alone to measure its
/// gradient norm ‖∇L_g‖ over all parameters; then
/// - `a_g ← (1 − rate)·a_g + rate·‖∇L_g‖` (rate 0.1, the recipe's EMA 0.9; the first step initialises a_g),
/// - `s_g = clamp(G_g / (a_g + 1e-8), min_scale, max_scale)` with G_g the geometric mean of the other groups'
///   averages (for two groups, s_A = a_B/a_A and s_B = a_A/a_B: the recipe's rule), in [0.5, 2] by default,
/// - the step's gradient is that of Σ_g s_g·L_g + (the terms in no group), in one more backward pass.
///
/// A group whose gradient is zero (weight 0) is left out until it has one.
/// With two groups the recipe's rule swaps their magnitudes (within the clamp) rather than equalising them;
/// that is what it does, and what is measured. The averages are part of the training state, so a resumed run
/// continues them exactly. Costs one backward pass per group more per step.
///
/// Config: `training.gradient_balancing = {"groups": {"reconstruction": ["reconstruction"], "geometry": ["radial"]},
/// "rate": 0.1, "min_scale": 0.5, "max_scale": 2}`.
public struct GradientBalancing: Hashable, Sendable {
    public struct Group: Hashable, Sendable {
        public var name: String
        /// Loss-term names (`reconstruction`, a KL term's name, a penalty's name).
        public var terms: [String]
    }

    public var groups: [Group]
    public var rate: Double
    public var minimumScale: Double
    public var maximumScale: Double

    public init(groups: [Group], rate: Double = 0.1, minimumScale: Double = 0.5, maximumScale: Double = 2) {
        self.groups = groups
        self.rate = rate
        self.minimumScale = minimumScale
        self.maximumScale = maximumScale
    }

    /// Reads `training.gradient_balancing` for a model whose loss terms are `termNames`.
    public static func read(_ node: ConfigNode, termNames: [String]) throws(ConfigError) -> GradientBalancing {
        let object = try node.object()
        let groupsObject = try object.required("groups", "the loss groups to balance, {\"NAME\": [TERM, …], …}; terms: \(termNames.joined(separator: ", "))").object()
        var groups: [Group] = []
        var used: [String: String] = [:]
        for key in groupsObject.keys {
            let groupNode = groupsObject.node(key)!
            var terms: [String] = []
            for element in try groupNode.array() {
                let term = try element.choice(termNames, what: "loss term")
                if let other = used[term] { throw element.error("the term \(MessageText.quoted(term)) is already in the group \(MessageText.quoted(other)); a term belongs to one group") }
                used[term] = key
                terms.append(term)
            }
            if terms.isEmpty { throw groupNode.error("a group needs at least one loss term; terms: \(termNames.joined(separator: ", "))") }
            groups.append(Group(name: key, terms: terms))
        }
        if groups.count < 2 { throw groupsObject.error("balancing needs at least two groups, got \(groups.count)") }
        func positive(_ key: String, _ fallback: Double) throws(ConfigError) -> Double {
            let value = try object.number(key, default: fallback)
            if !(value > 0 && value.isFinite) { throw object.error(at: key, "must be a positive number, got \(object.node(key)!.value.briefDescription)") }
            return value
        }
        let rate = try positive("rate", 0.1)
        if rate > 1 { throw object.error(at: "rate", "must be in (0, 1] (the weight of each new gradient norm in the moving average), got \(object.node("rate")!.value.briefDescription)") }
        let minimumScale = try positive("min_scale", 0.5)
        let maximumScale = try positive("max_scale", 2)
        if maximumScale < minimumScale { throw object.error(at: "max_scale", "must be ≥ min_scale (\(minimumScale)), got \(maximumScale)") }
        try object.finish(context: "gradient_balancing")
        return GradientBalancing(groups: groups, rate: rate, minimumScale: minimumScale, maximumScale: maximumScale)
    }

    public var json: JSONValue {
        .object([("groups", .object(groups.map { ($0.name, .array($0.terms.map { .string($0) })) })), ("rate", .number(rate)),
                 ("min_scale", .number(minimumScale)), ("max_scale", .number(maximumScale))])
    }

    public var summary: String {
        "gradient balancing of " + groups.map { "\($0.name) (\($0.terms.joined(separator: ", ")))" }.joined(separator: " and ") + ", scales in [\(minimumScale), \(maximumScale)]"
    }

    /// The moving averages after a step that measured `norms` (one per group), from `averages` (empty before
    /// the first step).
    public func updatedAverages(_ averages: [Double], norms: [Double]) -> [Double] {
        averages.isEmpty ? norms : zip(averages, norms).map { (1 - rate) * $0 + rate * $1 }
    }

    /// The scales for `averages`: s_g = clamp(geometric mean of the others / (a_g + 1e-8)). A group whose
    /// average is 0 (its terms weigh 0, as a block that a phase has not switched on yet) is left out: its scale
    /// is 1 and it does not enter the others' means; with fewer than two groups left every scale is 1.
    public func scales(_ averages: [Double]) -> [Double] {
        let active = averages.indices.filter { averages[$0] > 0 }
        guard active.count >= 2 else { return averages.map { _ in 1 } }
        let logs = averages.map { $0 > 0 ? Foundation.log($0) : 0 }
        let total = active.reduce(0) { $0 + logs[$1] }
        return averages.indices.map { g in
            guard averages[g] > 0 else { return 1 }
            let others = Foundation.exp((total - logs[g]) / Double(active.count - 1))
            return min(max(others / (averages[g] + 1e-8), minimumScale), maximumScale)
        }
    }

    /// The state shown in metrics: each group's average and scale.
    public func state(_ averages: [Double]) -> [(name: String, value: Double)] {
        guard averages.count == groups.count else { return [] }
        let scales = scales(averages)
        return groups.indices.flatMap { [("\(groups[$0].name).norm_average", averages[$0]), ("\(groups[$0].name).scale", scales[$0])] }
    }
}
