import Tensors

/// One latent block of a forward pass: the posterior's location and spread as the encoder gave them, and the
/// code drawn from it (each rows × size).
public struct LatentSample<Scalar: TensorScalar> {
    /// The posterior's location in the coordinates the decoder reads: μ for a Euclidean latent, the ball point
    /// exp₀(μ̃) of the encoder's tangent mean μ̃ for a Poincaré latent. Active units, radii and coverage use it.
    public var mean: Graph<Scalar>.Variable
    /// log σ², per dimension (of the tangent noise on the ball).
    public var logVariance: Graph<Scalar>.Variable
    /// The code drawn from the posterior with the noise scaled by the temperature (the mean at temperature 0).
    public var z: Graph<Scalar>.Variable
    /// On the Poincaré ball: the tangent noise v = τ·σ ⊙ ε and the code before its projection to `max_radius`,
    /// at which the Monte Carlo KL is evaluated (so the projection cannot bias it); nil for Euclidean latents.
    public var tangentNoise: Graph<Scalar>.Variable?
    public var unprojected: Graph<Scalar>.Variable?

    public init(mean: Graph<Scalar>.Variable, logVariance: Graph<Scalar>.Variable, z: Graph<Scalar>.Variable,
                tangentNoise: Graph<Scalar>.Variable? = nil, unprojected: Graph<Scalar>.Variable? = nil) {
        self.mean = mean
        self.logVariance = logVariance
        self.z = z
        self.tangentNoise = tangentNoise
        self.unprojected = unprojected
    }
}
