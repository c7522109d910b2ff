/// The per-epoch numbers that rules can read by name (early stopping, the keep-best policy), with the
/// direction in which each improves.
public enum EpochMetricName: String, CaseIterable, Sendable, Hashable {
    case validationELBO = "validation_elbo"
    case validationReconstruction = "validation_reconstruction"
    case elbo
    case loss
    case reconstruction
    /// Exact reconstructions from the posterior means (categorical data).
    case coverage
    /// Spearman's ρ of latent radius against difficulty; lower is better by default (the recipe wants easy,
    /// high-valuation operations near the origin: radius falling as difficulty value rises).
    case radialCorrelation = "radial_correlation"
    case radiusMean = "radius_mean"
    /// I(x; z) summed over the KL terms.
    case mutualInformation = "mutual_information"
    /// Active units summed over the KL terms.
    case activeUnits = "active_units"

    /// Whether higher is better.
    public var maximizes: Bool {
        switch self {
        case .validationELBO, .elbo, .coverage, .radiusMean, .mutualInformation, .activeUnits: return true
        case .validationReconstruction, .loss, .reconstruction, .radialCorrelation: return false
        }
    }

    /// The value in an epoch's metrics (nil when not measured, such as without a validation set).
    public func value(_ metrics: EpochMetrics) -> Double? {
        switch self {
        case .validationELBO: return metrics.validationELBO
        case .validationReconstruction: return metrics.validationReconstruction
        case .elbo: return metrics.trainingELBO
        case .loss: return metrics.loss
        case .reconstruction: return metrics.reconstruction
        case .coverage: return metrics.coverage
        case .radialCorrelation: return metrics.radialCorrelation
        case .radiusMean: return metrics.radiusMean
        case .mutualInformation: return metrics.mutualInformation.isEmpty ? nil : metrics.mutualInformation.reduce(0) { $0 + $1.value }
        case .activeUnits: return metrics.activeUnits.isEmpty ? nil : Double(metrics.activeUnits.reduce(0) { $0 + $1.value })
        }
    }
}
