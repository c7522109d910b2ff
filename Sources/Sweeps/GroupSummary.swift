/// One group's finished trials reduced to mean and spread over seeds (`Statistics`): a row of the tables.
public struct GroupSummary: Sendable {
    /// Mean and sample standard deviation over the seeds that have the number.
    public struct Spread: Sendable, Equatable {
        public var mean: Double
        public var standardDeviation: Double
        public var count: Int

        public init?(_ values: [Double]) {
            let finite = values.filter(\.isFinite)
            guard let mean = Statistics.mean(finite), let deviation = Statistics.standardDeviation(finite) else { return nil }
            self.mean = mean
            standardDeviation = deviation
            count = finite.count
        }
    }

    public var group: TrialGroup
    public var groupIndex: Int
    public var planned: Int
    /// Finished trials, in seed order.
    public var results: [TrialResult]
    public var finalELBO: Spread?
    public var bestELBO: Spread?
    public var reconstruction: Spread?
    /// Per KL term, in the model's order.
    public var kl: [(term: String, spread: Spread?)]
    public var activeUnits: [(term: String, spread: Spread?)]
    public var dimensions: [(term: String, value: Int)]
    public var mutualInformation: [(term: String, spread: Spread?)]
    /// MI summed over terms, per trial.
    public var totalMutualInformation: Spread?
    /// Active units summed over terms, per trial.
    public var totalActiveUnits: Spread?
    public var settleEpoch: Spread?
    public var epochs: Spread?
    public var lateWobble: Spread?
    /// Verdict counts per term, e.g. ("local", ["healthy": 2, "collapsed": 1]).
    public var verdicts: [(term: String, counts: [(verdict: String, count: Int)])]
    public var seconds: Spread?
    /// Trials that diverged or stopped early.
    public var diverged: Int
    public var stoppedEarly: Int
    /// The whole code's disentanglement figures (`TrialResult.disentanglementFigures` that some trial has), over
    /// the trials that have each; empty for data without factors.
    public var disentanglement: [(name: String, spread: Spread?)]

    public init(group: TrialGroup, groupIndex: Int, planned: Int, results: [TrialResult]) {
        self.group = group
        self.groupIndex = groupIndex
        self.planned = planned
        self.results = results
        finalELBO = Spread(results.compactMap(\.finalValidationELBO))
        bestELBO = Spread(results.compactMap(\.bestValidationELBO))
        reconstruction = Spread(results.compactMap(\.reconstruction))
        var terms: [String] = []
        for result in results { for term in result.kl.map(\.name) + result.activeUnits.map(\.name) where !terms.contains(term) { terms.append(term) } }
        kl = terms.map { term in (term, Spread(results.compactMap { $0.kl.first { $0.name == term }?.value })) }
        activeUnits = terms.map { term in (term, Spread(results.compactMap { $0.activeUnits.first { $0.name == term }.map { Double($0.value) } })) }
        dimensions = terms.map { term in (term, results.compactMap { $0.dimensions.first { $0.name == term }?.value }.max() ?? 0) }
        mutualInformation = terms.map { term in (term, Spread(results.compactMap { $0.mutualInformation.first { $0.name == term }?.value })) }
        totalMutualInformation = Spread(results.filter { !$0.mutualInformation.isEmpty }.map { $0.mutualInformation.reduce(0) { $0 + $1.value } })
        totalActiveUnits = Spread(results.filter { !$0.activeUnits.isEmpty }.map { Double($0.activeUnits.reduce(0) { $0 + $1.value }) })
        settleEpoch = Spread(results.compactMap { $0.settleEpoch.map(Double.init) })
        epochs = Spread(results.map { Double($0.epochs) })
        lateWobble = Spread(results.compactMap(\.lateWobble))
        verdicts = terms.map { term in
            var counts: [(verdict: String, count: Int)] = []
            for verdict in ["healthy", "partially collapsed", "collapsed"] {
                let count = results.filter { $0.verdicts.first { $0.name == term }?.value == verdict }.count
                if count > 0 { counts.append((verdict, count)) }
            }
            return (term, counts)
        }
        seconds = Spread(results.map(\.seconds))
        diverged = results.filter { $0.status == "diverged" }.count
        stoppedEarly = results.filter { $0.status == "stopped_early" }.count
        disentanglement = TrialResult.disentanglementFigures.compactMap { figure in
            let values = results.compactMap { result in result.disentanglement.first { $0.name == figure.name } }
            return values.isEmpty ? nil : (figure.name, Spread(values.compactMap(\.value)))
        }
    }

    /// Stability's number: √(seed spread² + late wobble²), in nats; the seed spread is the standard deviation
    /// of the final validation ELBO over seeds, the late wobble the mean over seeds of each run's late
    /// standard deviation (`TrialResult`). Lower is more stable.
    public var instability: Double? {
        guard let spread = finalELBO?.standardDeviation else { return nil }
        let wobble = lateWobble?.mean ?? 0
        return (spread * spread + wobble * wobble).squareRoot()
    }

    /// Convergence's number: the mean settle epoch as a fraction of the mean run length. Lower is faster.
    public var settleFraction: Double? {
        guard let settle = settleEpoch?.mean, let length = epochs?.mean, length > 0 else { return nil }
        return settle / length
    }

    /// The standard error of a mean over seeds, s/√n; nil for fewer than 2 seeds.
    static func standardError(_ spread: Spread?) -> Double? {
        guard let spread, spread.count >= 2 else { return nil }
        return spread.standardDeviation / Double(spread.count).squareRoot()
    }

    /// Standard errors of the three dynamics numbers over the seeds (nil with fewer than 2 seeds): exploration's
    /// mean MI, s/√n; convergence's settle fraction, the settle epoch's s/√n over the run length; stability's
    /// √(s² + w²) by propagation, with a standard deviation's own error s/√(2(n − 1)) and the wobble's s/√n.
    public var explorationError: Double? { Self.standardError(totalMutualInformation) }
    public var settleFractionError: Double? {
        guard let error = Self.standardError(settleEpoch), let length = epochs?.mean, length > 0 else { return nil }
        return error / length
    }
    public var instabilityError: Double? {
        guard let instability, let spread = finalELBO, spread.count >= 2 else { return nil }
        let spreadError = spread.standardDeviation / (2 * Double(spread.count - 1)).squareRoot()
        let wobble = lateWobble?.mean ?? 0
        let wobbleError = Self.standardError(lateWobble) ?? 0
        guard instability > 0 else { return (spreadError * spreadError + wobbleError * wobbleError).squareRoot() }
        return ((spread.standardDeviation * spreadError) * (spread.standardDeviation * spreadError) + (wobble * wobbleError) * (wobble * wobbleError)).squareRoot() / instability
    }
}
