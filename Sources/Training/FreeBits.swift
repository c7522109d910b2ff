/// KL thresholding ("free bits"), applied to the optimised objective only; the reported ELBO always uses the
/// true KL.
public struct FreeBits: Hashable, Codable, Sendable {
    public enum Variant: String, CaseIterable, Codable, Sendable {
        /// Σ_j max(λ, mean over the batch of KL_j), per latent dimension j (Kingma et al. 2016, openai/iaf).
        case perDimension = "per_dimension"
        /// mean over the batch of max(KL_x, λ·D), the total per example (the World Models variant).
        case perExample = "per_example"
    }

    public var lambda: Double
    public var variant: Variant

    public init(lambda: Double, variant: Variant = .perDimension) {
        self.lambda = lambda
        self.variant = variant
    }
}
