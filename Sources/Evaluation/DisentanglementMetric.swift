/// The disentanglement metrics by their keys (`--metrics mig,dci,…`, JSON).
public enum DisentanglementMetric: String, CaseIterable, Sendable {
    case mig
    case dci
    case factorVAE = "factor_vae"
    case sap
    case betaVAE = "beta_vae"
    case unsupervised

    /// Whether the metric needs the examples' factors (all but the unsupervised scores).
    public var needsFactors: Bool { self != .unsupervised }
}
