/// What a forward pass needs besides the batch and the noise.
public struct ForwardContext: Sendable {
    /// The scale of the posterior noise: z = μ + τ·σ·ε (its wrapped analogue on the Poincaré ball). 1 samples
    /// the posterior; 0 gives the posterior mean (exact reconstructions, coverage).
    public var temperature: Double
    /// The model's own quantities (`ModelSpecification.quantities`), in its order; empty for their defaults.
    public var modelQuantities: [Double]
    /// False for a pass that reads only the codes and the decoder's output (the per-epoch coverage and radius
    /// pass): the reconstruction term is then a column of zeros instead of the likelihood (on ternary data the
    /// categorical loss was 16 % of that pass).
    public var computesReconstruction: Bool

    public init(temperature: Double = 1, modelQuantities: [Double] = [], computesReconstruction: Bool = true) {
        self.temperature = temperature
        self.modelQuantities = modelQuantities
        self.computesReconstruction = computesReconstruction
    }

    /// Model quantity `index`, or `defaultValue` when the context gives none.
    @inline(__always)
    public func modelQuantity(_ index: Int, default defaultValue: Double) -> Double {
        index < modelQuantities.count ? modelQuantities[index] : defaultValue
    }
}
