import Tensors

/// A diagonal-Gaussian latent block: an encoder head's columns split into (μ, log σ²), the reparameterised
/// sample z = μ + τ·σ·ε, and log-densities for importance weights.
enum GaussianLatent {
    /// Splits `statistics` (rows × 2·size) and samples z with noise ε ~ N(0, I) drawn from `noise`, scaled by
    /// `temperature` (z = μ exactly at 0).
    static func sample<Scalar>(_ statistics: Graph<Scalar>.Variable, size: Int, temperature: Double, noise: inout RandomGenerator,
                               in graph: Graph<Scalar>) -> (mean: Graph<Scalar>.Variable, logVariance: Graph<Scalar>.Variable, z: Graph<Scalar>.Variable) {
        let (mean, logVariance) = graph.splitColumns(statistics, at: size)
        let epsilon = standardNormal(rows: graph.shape(statistics).rows, columns: size, temperature: temperature, noise: &noise, in: graph)
        return (mean, logVariance, graph.reparameterize(mean: mean, logVariance: logVariance, noise: epsilon))
    }

    /// A constant of standard normal draws times `temperature`. At temperature 0 the draws are not computed
    /// (they would be multiplied by 0: the codes are the posterior means, as in the per-epoch coverage pass),
    /// but the generator moves on as if they were, so every later draw is unchanged. (The zeros are +0 where ε·0
    /// gave −0 for a negative draw: a code can differ only as −0 against +0, when its mean is exactly −0.)
    static func standardNormal<Scalar>(rows: Int, columns: Int, temperature: Double, noise: inout RandomGenerator, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        graph.constant(rows: rows, columns: columns) { buffer in
            if temperature == 0 {
                noise.skipNormals(buffer.count)
                buffer.update(repeating: 0)
                return
            }
            noise.fillNormal(buffer)
            if temperature != 1 { Scalar.scaleInPlace(buffer.baseAddress!, Scalar(temperature), buffer.count) }
        }
    }

    /// log N(z; μ, e^lv) summed over columns: rows × 1.
    static func logDensity<Scalar>(_ z: Graph<Scalar>.Variable, mean: Graph<Scalar>.Variable, logVariance: Graph<Scalar>.Variable,
                                   in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        graph.scale(graph.gaussianNegativeLogLikelihood(mean: mean, logVariance: logVariance, target: z), by: -1)
    }

    /// log N(z; 0, I) summed over columns: rows × 1.
    static func standardLogDensity<Scalar>(_ z: Graph<Scalar>.Variable, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        let (rows, columns) = graph.shape(z)
        let zeros = graph.constant(rows: rows, columns: columns, repeating: 0)
        return graph.scale(graph.gaussianNegativeLogLikelihood(mean: zeros, logVariance: graph.constant(rows: 1, columns: columns, repeating: 0), target: z), by: -1)
    }
}
