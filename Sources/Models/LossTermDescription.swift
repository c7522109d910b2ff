/// One named term of a model's loss, as the model declares it: the objective weighs it
/// (`<name>_kl_weight` or `beta` for a KL term, `<name>_weight` for the others) and may shape it (free bits,
/// capacity), and metrics and controllers see it by name.
public struct LossTermDescription: Hashable, Sendable {
    /// What the term is.
    public enum Role: String, Hashable, Sendable {
        /// The negative log-likelihood of the data (one per model, named `reconstruction`).
        case reconstruction
        /// A KL divergence between a posterior and its prior; its values are per latent dimension when
        /// `columns > 1` (the per-dimension KL of a diagonal Gaussian), else per example.
        case kl
        /// Any other penalty (a radial loss).
        case penalty
    }

    public var name: String
    public var role: Role
    /// Columns of the term's per-example values: the latent size for a per-dimension KL, else 1.
    public var columns: Int

    public init(name: String, role: Role, columns: Int = 1) {
        self.name = name
        self.role = role
        self.columns = columns
    }
}
