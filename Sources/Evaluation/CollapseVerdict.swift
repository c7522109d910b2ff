/// A verdict in words on one KL term's latent block, from its units' posterior-mean variance and KL, the
/// block's KL and its mutual information:
///
///     local: collapsed: 0 of 20 units informative (active and KL ≥ 0.1 nats; 20 active by variance alone), KL 0.465 nats
///     global: healthy: 6 of 8 units informative (active and KL ≥ 0.1 nats), KL 3.4 nats, MI 2.1 nats (at most log 256 = 5.55 with this estimator)
///
/// A unit is **informative** when it is active (its posterior mean varies over the data, A_u ≥ 0.01; Burda et
/// al. 2016) and its own KL, the mean over examples of KL(q(z_u|x) ‖ p(z_u)), is at least `minimumUnitKL`
/// (0.1 nats): variance alone called a block of 20 units with KL 0.006–0.047 nats each "healthy", though
/// together they carry under half a nat about x (I(x; z) ≤ E[KL]). The rule, in this order:
/// 1. **collapsed** when no unit is informative, or the block's mean KL is below `minimumKL` (0.01 nats), or its
///    mutual information, when measured, is below `minimumInformation` (0.05 nats): q(z|x) is the prior, or the
///    same for every x, and the decoder gets nothing from this latent;
/// 2. **partially collapsed** when fewer than `minimumActiveFraction` (half) of the units are informative;
/// 3. **healthy** otherwise (a VAE switches off the dimensions it does not need; a few idle ones are normal).
/// Without per-unit KLs (older callers) a unit counts as informative when it is active.
public struct CollapseVerdict: Sendable, Equatable, CustomStringConvertible {
    /// The three verdicts.
    public enum Status: String, Sendable, Equatable {
        case collapsed
        case partiallyCollapsed = "partially collapsed"
        case healthy
    }

    /// The KL term's name (`kl`, `global`, `local`…).
    public let term: String
    public let status: Status
    public let activeUnits: ActiveUnits
    /// Mean KL per example for this term, in nats.
    public let meanKL: Double
    /// Mean KL per example of each unit, when known.
    public let klPerDimension: [Double]?
    public let mutualInformation: MutualInformation?
    public let minimumKL: Double
    public let minimumUnitKL: Double
    public let minimumActiveFraction: Double
    public let minimumInformation: Double
    /// Units that are active and carry at least `minimumUnitKL`.
    public let informativeUnits: Int

    /// The verdict for KL term `term` under the rule above.
    public init(term: String, activeUnits: ActiveUnits, meanKL: Double, klPerDimension: [Double]? = nil, mutualInformation: MutualInformation? = nil,
                minimumKL: Double = 0.01, minimumUnitKL: Double = 0.1, minimumActiveFraction: Double = 0.5, minimumInformation: Double = 0.05) {
        self.term = term
        self.activeUnits = activeUnits
        self.meanKL = meanKL
        self.klPerDimension = klPerDimension
        self.mutualInformation = mutualInformation
        self.minimumKL = minimumKL
        self.minimumUnitKL = minimumUnitKL
        self.minimumActiveFraction = minimumActiveFraction
        self.minimumInformation = minimumInformation
        let active = activeUnits.isActive
        let informative = active.indices.filter { u in
            active[u] && (klPerDimension.map { u < $0.count && $0[u] >= minimumUnitKL } ?? true)
        }.count
        informativeUnits = informative
        if informative == 0 || !(meanKL >= minimumKL) || mutualInformation.map({ !($0.nats >= minimumInformation) }) == true {
            status = .collapsed
        } else if Double(informative) < minimumActiveFraction * Double(activeUnits.dimensions) {
            status = .partiallyCollapsed
        } else {
            status = .healthy
        }
    }

    /// `global: healthy: 6 of 8 units informative (active and KL ≥ 0.1 nats), KL 3.4 nats, MI 2.1 nats (…)`.
    public var description: String {
        var text = "\(term): \(status.rawValue): "
        if klPerDimension != nil {
            text += "\(informativeUnits) of \(activeUnits.dimensions) units informative (active and KL ≥ \(Format.number(minimumUnitKL)) nats"
            text += informativeUnits == activeUnits.count ? ")" : "; \(activeUnits.count) active by variance alone)"
        } else {
            text += "\(activeUnits.count) of \(activeUnits.dimensions) units active"
        }
        text += ", KL \(Format.number(meanKL)) nats"
        if let mi = mutualInformation { text += ", MI " + mi.reading }
        return text
    }
}
