import Tensors

/// The variables of one forward pass: every loss term per example, for the objective and for diagnostics.
public struct ModelOutput<Scalar: TensorScalar> {
    /// Each loss term's values, parallel to the model's `terms`: rows × 1, or rows × latent size for a
    /// per-dimension KL term.
    public var terms: [Graph<Scalar>.Variable]
    /// The posterior mean of each KL term's latent block (rows × size), in KL-term order, for active units.
    public var posteriorMeans: [Graph<Scalar>.Variable]
    /// Each block's log-variance and the sample drawn (rows × size), in KL-term order, for the
    /// mutual-information estimate (empty for a model that reports none).
    public var posteriorLogVariances: [Graph<Scalar>.Variable] = []
    public var posteriorSamples: [Graph<Scalar>.Variable] = []
    /// log q(z | x) for one code and one posterior when the posterior is not a diagonal Gaussian in the
    /// coordinates of `posteriorMeans` and `posteriorSamples` (nil: the Gaussian formula holds).
    public var posteriorLogDensity: (@Sendable (_ z: ArraySlice<Double>, _ mean: ArraySlice<Double>, _ logVariance: ArraySlice<Double>) -> Double)?
    /// The decoder's output (logits or means).
    public var decoderOutput: Graph<Scalar>.Variable
    /// The latent code the decoder read (rows × latent width).
    public var latent: Graph<Scalar>.Variable
    /// The model's own per-example measurements (rows × 1), by name (`radius`), for metrics and controllers.
    public var measurements: [(name: String, value: Graph<Scalar>.Variable)]

    public init(terms: [Graph<Scalar>.Variable], posteriorMeans: [Graph<Scalar>.Variable], decoderOutput: Graph<Scalar>.Variable,
                latent: Graph<Scalar>.Variable, measurements: [(name: String, value: Graph<Scalar>.Variable)] = []) {
        self.terms = terms
        self.posteriorMeans = posteriorMeans
        self.decoderOutput = decoderOutput
        self.latent = latent
        self.measurements = measurements
    }
}
