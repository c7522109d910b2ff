import JSONConfig

/// When an epoch's parameters become `checkpoints/best.ckpt`: an ordered list of rules, the first that fires
/// names the save, and the checkpoint records it (`best_rule`, with the metrics it was judged on).
///
/// A rule fires when its metric improves on its value at the last best save (strictly, in its direction;
/// always for the first measured epoch), while every metric it keeps loses no more than a tolerance,
/// relative to its saved value: for a higher-is-better metric, `value ≥ saved − tolerance·|saved|`.
/// The default is one rule, the validation ELBO. The phased hyperbolic recipe's policy, "coverage improved,
/// or radial correlation improved without losing more than 1 % coverage":
///
///     "keep_best": [{"metric": "coverage"},
///                   {"name": "geometry", "metric": "radial_correlation", "keeping": {"coverage": 0.01}}]
///
/// Each rule: `metric` (see `EpochMetricName`), `name` (default the metric), `better` ("higher"/"lower",
/// default the metric's own direction), `keeping` (metric → relative tolerance ≥ 0).
public struct KeepBestPolicy: Hashable, Sendable {
    public struct Rule: Hashable, Sendable {
        public var name: String
        public var metric: EpochMetricName
        public var higherIsBetter: Bool
        public var keeping: [Kept]

        public init(name: String? = nil, metric: EpochMetricName, higherIsBetter: Bool? = nil, keeping: [Kept] = []) {
            self.name = name ?? metric.rawValue
            self.metric = metric
            self.higherIsBetter = higherIsBetter ?? metric.maximizes
            self.keeping = keeping
        }
    }

    /// A metric a rule must not lose more than `tolerance` (relative) of.
    public struct Kept: Hashable, Sendable {
        public var metric: EpochMetricName
        public var tolerance: Double

        public init(metric: EpochMetricName, tolerance: Double) {
            self.metric = metric
            self.tolerance = tolerance
        }
    }

    public var rules: [Rule]

    public init(rules: [Rule]) { self.rules = rules }

    /// The best validation ELBO.
    public static let validationELBO = KeepBestPolicy(rules: [Rule(metric: .validationELBO)])

    /// Every metric the policy reads, in order, without repeats.
    public var metrics: [EpochMetricName] {
        var result: [EpochMetricName] = []
        for rule in rules {
            for metric in [rule.metric] + rule.keeping.map(\.metric) where !result.contains(metric) { result.append(metric) }
        }
        return result
    }

    /// The metrics to remember at a save.
    public func readings(_ metrics: EpochMetrics) -> [String: Double] {
        var result: [String: Double] = [:]
        for metric in self.metrics { if let value = metric.value(metrics), value.isFinite { result[metric.rawValue] = value } }
        return result
    }

    /// The first rule that fires for `metrics` against the readings of the last best save (nil before the first).
    public func firedRule(_ metrics: EpochMetrics, saved: [String: Double]?) -> Rule? {
        rules.first { rule in
            guard let value = rule.metric.value(metrics), value.isFinite else { return false }
            guard let saved else { return true }
            if let previous = saved[rule.metric.rawValue] {
                guard rule.higherIsBetter ? value > previous : value < previous else { return false }
            }
            return rule.keeping.allSatisfy { kept in
                guard let previous = saved[kept.metric.rawValue] else { return true }
                guard let current = kept.metric.value(metrics), current.isFinite else { return false }
                let allowance = kept.tolerance * abs(previous)
                return kept.metric.maximizes ? current >= previous - allowance : current <= previous + allowance
            }
        }
    }

    static func read(_ node: ConfigNode) throws(ConfigError) -> KeepBestPolicy {
        let names = EpochMetricName.allCases.map(\.rawValue)
        var rules: [Rule] = []
        for element in try node.array() {
            let object = try element.object()
            let metric = EpochMetricName(rawValue: try object.required("metric", "the metric that must improve: \(names.joined(separator: ", "))").choice(names, what: "metric"))!
            let name = try object.string("name")
            if let name, name.isEmpty { throw object.error(at: "name", "must not be empty") }
            let better = try object.node("better")?.choice(["higher", "lower"], what: "direction")
            var keeping: [Kept] = []
            if let keptObject = try object.object("keeping") {
                for key in keptObject.keys {
                    let keptNode = keptObject.node(key)!
                    guard let kept = EpochMetricName(rawValue: key) else {
                        throw keptNode.error("\(MessageText.quoted(key)) is not a metric; metrics: \(names.joined(separator: ", "))")
                    }
                    let tolerance = try keptNode.number()
                    if !(tolerance >= 0 && tolerance.isFinite) { throw keptNode.error("must be a relative tolerance ≥ 0 (0.01 = 1 %), got \(keptNode.value.briefDescription)") }
                    keeping.append(Kept(metric: kept, tolerance: tolerance))
                }
            }
            try object.finish(context: "keep_best rule")
            let rule = Rule(name: name, metric: metric, higherIsBetter: better.map { $0 == "higher" }, keeping: keeping)
            if rules.contains(where: { $0.name == rule.name }) { throw element.error("two rules are named \(MessageText.quoted(rule.name)); give each a distinct name") }
            rules.append(rule)
        }
        if rules.isEmpty { throw node.error("needs at least one rule, e.g. [{\"metric\": \"validation_elbo\"}]") }
        return KeepBestPolicy(rules: rules)
    }

    var json: JSONValue {
        .array(rules.map { rule in
            var members: [(String, JSONValue)] = [("name", .string(rule.name)), ("metric", .string(rule.metric.rawValue)),
                                                  ("better", .string(rule.higherIsBetter ? "higher" : "lower"))]
            if !rule.keeping.isEmpty { members.append(("keeping", .object(rule.keeping.map { ($0.metric.rawValue, .number($0.tolerance)) }))) }
            return .object(members)
        })
    }

    public var summary: String {
        rules.map { rule in
            "\(rule.name): \(rule.metric.rawValue) \(rule.higherIsBetter ? "rises" : "falls")"
                + (rule.keeping.isEmpty ? "" : " keeping " + rule.keeping.map { "\($0.metric.rawValue) within \($0.tolerance * 100)%" }.joined(separator: ", "))
        }.joined(separator: "; or ")
    }
}
