import Tensors

/// The variables of one forward pass, for assembling the loss and for diagnostics.
public struct ModelOutput<Scalar: TensorScalar> {
    /// Reconstruction negative log-likelihood per example, rows × 1.
    public var reconstruction: Graph<Scalar>.Variable
    /// KL per example and latent dimension for each KL term, in `ModelKind.klTermNames` order (rows × dim).
    public var klPerDimension: [Graph<Scalar>.Variable]
    /// The posterior means of each term (rows × dim), for active-unit counts.
    public var posteriorMeans: [Graph<Scalar>.Variable]
    /// The decoder's output (logits or means).
    public var output: Graph<Scalar>.Variable
}
