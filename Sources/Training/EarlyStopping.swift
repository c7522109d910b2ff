import JSONConfig

/// Stops a run when a metric has not improved for `patience` epochs (`training.early_stopping`).
///
/// An epoch improves on the best so far when its value beats it by more than `minDelta` in the metric's
/// direction (higher for ELBOs, lower for losses). The state (best value, its epoch, epochs without
/// improvement) lives in the training state, so a resumed run stops where the uninterrupted one would.
///
/// Config: `{"metric": "validation_elbo", "patience": 10, "min_delta": 0.01}`; metrics: `validation_elbo`
/// (default), `validation_reconstruction`, `elbo`, `loss`, `reconstruction`, `coverage`, `radial_correlation`,
/// `radius_mean`, `mutual_information`, `active_units`.
public struct EarlyStopping: Hashable, Sendable {
    /// Any per-epoch metric with a direction (`EpochMetricName`).
    public typealias Metric = EpochMetricName

    /// Where the rule stands after some epochs.
    public struct State: Codable, Equatable, Sendable {
        public var best: Double?
        public var bestEpoch: Int?
        public var epochsWithoutImprovement = 0

        public init() {}
    }

    public var metric: Metric
    public var patience: Int
    public var minDelta: Double

    public init(metric: Metric = .validationELBO, patience: Int, minDelta: Double = 0) {
        self.metric = metric
        self.patience = patience
        self.minDelta = minDelta
    }

    /// The state after `metrics`, and whether to stop now.
    public func update(_ state: State, with metrics: EpochMetrics) -> (state: State, stop: Bool) {
        guard let value = metric.value(metrics), value.isFinite else { return (state, false) }
        var next = state
        let improved = state.best.map { metric.maximizes ? value > $0 + minDelta : value < $0 - minDelta } ?? true
        if improved {
            next.best = value
            next.bestEpoch = metrics.epoch
            next.epochsWithoutImprovement = 0
        } else {
            next.epochsWithoutImprovement += 1
        }
        return (next, next.epochsWithoutImprovement >= patience)
    }

    /// Why the run stopped, for the summary.
    public func reason(_ state: State) -> String {
        "\(metric.rawValue) did not improve by more than \(minDelta) for \(patience) epoch\(patience == 1 ? "" : "s") (best \(state.best.map { String(format: "%.3f", $0) } ?? "–") at epoch \(state.bestEpoch.map(String.init) ?? "–"))"
    }

    /// Reads `training.early_stopping` (`null` for none).
    static func read(_ node: ConfigNode) throws(ConfigError) -> EarlyStopping? {
        if case .null = node.value.kind { return nil }
        let object = try node.object()
        let names = Metric.allCases.map(\.rawValue)
        let metric = Metric(rawValue: try object.node("metric")?.choice(names, what: "early_stopping metric") ?? "validation_elbo")!
        let patienceNode = try object.required("patience", "epochs without improvement before stopping, e.g. 10")
        let patience = try patienceNode.integer(minimum: 1)
        if patience < 1 { throw patienceNode.error("must be at least 1, got \(patienceNode.value.briefDescription)") }
        let minDelta = try object.number("min_delta", default: 0)
        if minDelta < 0 { throw object.error(at: "min_delta", "must be ≥ 0, got \(minDelta)") }
        try object.finish(context: "early_stopping")
        return EarlyStopping(metric: metric, patience: patience, minDelta: minDelta)
    }

    var json: JSONValue {
        .object([("metric", .string(metric.rawValue)), ("patience", .number(patience)), ("min_delta", .number(minDelta))])
    }
}
