/// The model families (`model.type`).
public enum ModelKind: String, CaseIterable, Codable, Sendable {
    /// A VAE: one latent, KL term `kl`.
    case vae
    /// A conditional VAE: the one-hot label conditions encoder and decoder; KL term `kl`.
    case cvae
    /// A hierarchical CVAE: a global latent z_g with prior N(0, I) and a local latent z_l with a learned
    /// conditional prior p(z_l | z_g, y); KL terms `global` and `local`.
    case hierarchicalCVAE = "hierarchical_cvae"

    public var isConditional: Bool { self != .vae }

    /// The KL terms' names, in order.
    public var klTermNames: [String] { self == .hierarchicalCVAE ? ["global", "local"] : ["kl"] }
}
