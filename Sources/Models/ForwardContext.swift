/// What a forward pass needs besides the batch and the noise.
public struct ForwardContext: Sendable {
    /// The scale of the posterior noise: z = μ + τ·σ·ε (its wrapped analogue on the Poincaré ball). 1 samples
    /// the posterior; 0 gives the posterior mean (exact reconstructions, coverage).
    public var temperature: Double

    public init(temperature: Double = 1) {
        self.temperature = temperature
    }
}
