/// A verdict in words on one KL term's latent block, from its active units, its KL and optionally its
/// mutual information:
///
///     local: collapsed: 0 of 8 units active, KL 0.002 nats
///     global: healthy: 6 of 8 units active, KL 3.4 nats, MI 2.1 nats (saturates at log 256 = 5.55)
///
/// The rule, in this order:
/// 1. **collapsed** when no unit is active (A_u < threshold for every u), or the mean KL per example, summed
///    over the block's dimensions, is below `minimumKL` (0.01 nats by default): q(z|x) is the prior, or the
///    same for every x, so the decoder gets nothing from this latent. (The KL test catches a latent with a
///    learned conditional prior whose posterior means move with the condition yet carry no information.)
/// 2. **partially collapsed** when fewer than `minimumActiveFraction` (half by default) of the units are
///    active: most of the block is unused.
/// 3. **healthy** otherwise. A few inactive units are normal: a VAE switches off the dimensions it does not
///    need.
///
/// The mutual information is reported but does not decide: with one sample per input it is noisy, and it
/// cannot exceed about log B, so a value near that bound means "at least this much".
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
    public let mutualInformation: MutualInformation?
    public let minimumKL: Double
    public let minimumActiveFraction: Double

    /// The verdict for KL term `term` under the rule above.
    public init(term: String, activeUnits: ActiveUnits, meanKL: Double, mutualInformation: MutualInformation? = nil,
                minimumKL: Double = 0.01, minimumActiveFraction: Double = 0.5) {
        self.term = term
        self.activeUnits = activeUnits
        self.meanKL = meanKL
        self.mutualInformation = mutualInformation
        self.minimumKL = minimumKL
        self.minimumActiveFraction = minimumActiveFraction
        let active = activeUnits.count
        if active == 0 || !(meanKL >= minimumKL) {
            status = .collapsed
        } else if Double(active) < minimumActiveFraction * Double(activeUnits.dimensions) {
            status = .partiallyCollapsed
        } else {
            status = .healthy
        }
    }

    /// `global: healthy: 6 of 8 units active, KL 3.4 nats, MI 2.1 nats (saturates at log 256 = 5.55)`.
    public var description: String {
        var text = "\(term): \(status.rawValue): \(activeUnits.count) of \(activeUnits.dimensions) units active, KL \(Format.number(meanKL)) nats"
        if let mi = mutualInformation {
            text += ", MI \(Format.number(mi.nats)) nats (saturates at log \(mi.batchSize) = \(Format.number(mi.saturationBound)))"
        }
        return text
    }
}
