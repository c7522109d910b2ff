/// What a forward pass needs besides the batch and the noise.
public struct ForwardContext: Sendable {
    /// The scale of the posterior noise: z = μ + τ·σ·ε (its wrapped analogue on the Poincaré ball). 1 samples
    /// the posterior; 0 gives the posterior mean (exact reconstructions, coverage).
    public var temperature: Double
    /// The model's own quantities (`ModelSpecification.quantities`), in its order; empty for their defaults.
    public var modelQuantities: [Double]

    public init(temperature: Double = 1, modelQuantities: [Double] = []) {
        self.temperature = temperature
        self.modelQuantities = modelQuantities
    }

    /// Model quantity `index`, or `defaultValue` when the context gives none.
    @inline(__always)
    public func modelQuantity(_ index: Int, default defaultValue: Double) -> Double {
        index < modelQuantities.count ? modelQuantities[index] : defaultValue
    }
}
