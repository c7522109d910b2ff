import Layers
import Tensors

/// A VAE, CVAE or hierarchical CVAE with MLP networks (Kingma & Welling 2014; Sohn et al. 2015 for the
/// conditional model). Encoders output (μ, log σ²) of diagonal Gaussians and z = μ + ε·σ.
///
/// - `vae`: q(z | x), p(x | z); KL(q(z | x) ‖ N(0, I)) named `kl`.
/// - `cvae`: q(z | x, y), p(x | z, y) with y one-hot; KL named `kl`.
/// - `hierarchical_cvae`: q(z_g | x, y) with prior N(0, I) (term `global`); q(z_l | x, z_g, y) with a learned
///   conditional prior p(z_l | z_g, y) (term `local`, the KL between two diagonal Gaussians);
///   decoder p(x | z_g, z_l, y).
///
/// Hidden sizes are used by every encoder and the prior in order, and by the decoder in reverse.
public struct VariationalModel<Scalar: TensorScalar>: Sendable {
    public let kind: ModelKind
    public let likelihood: Likelihood
    public let featureCount: Int
    public let classCount: Int
    /// Latent sizes per KL term.
    public let latentSizes: [Int]
    public let encoder: MLP<Scalar>
    /// The local encoder (hierarchical only).
    public let localEncoder: MLP<Scalar>?
    /// The learned conditional prior of the local latent (hierarchical only).
    public let localPrior: MLP<Scalar>?
    public let decoder: MLP<Scalar>
    /// One log-variance per feature, for a Gaussian likelihood with learned variance.
    public let logVariance: ParameterTensor<Scalar>?

    /// - Parameters:
    ///   - latentSizes: one size for vae/cvae; global and local sizes for the hierarchical model.
    public init(kind: ModelKind, likelihood: Likelihood, featureCount: Int, classCount: Int = 0, hiddenSizes: [Int],
                latentSizes: [Int], activation: Activation = .relu, generator: inout RandomGenerator) {
        precondition(latentSizes.count == kind.klTermNames.count, "one latent size per KL term")
        precondition(!kind.isConditional || classCount > 0, "a conditional model needs classes")
        self.kind = kind
        self.likelihood = likelihood
        self.featureCount = featureCount
        self.classCount = classCount
        self.latentSizes = latentSizes
        let conditions = kind.isConditional ? classCount : 0
        let outputs = featureCount
        encoder = MLP(sizes: [featureCount + conditions] + hiddenSizes + [2 * latentSizes[0]], activation: activation, generator: &generator)
        if kind == .hierarchicalCVAE {
            localEncoder = MLP(sizes: [featureCount + latentSizes[0] + conditions] + hiddenSizes + [2 * latentSizes[1]], activation: activation, generator: &generator)
            localPrior = MLP(sizes: [latentSizes[0] + conditions] + hiddenSizes + [2 * latentSizes[1]], activation: activation, generator: &generator)
        } else {
            localEncoder = nil
            localPrior = nil
        }
        decoder = MLP(sizes: [latentSizes.reduce(0, +) + conditions] + hiddenSizes.reversed() + [outputs], activation: activation, generator: &generator)
        if case .gaussian(true) = likelihood {
            logVariance = ParameterTensor(Tensor(rows: 1, columns: featureCount))
        } else {
            logVariance = nil
        }
    }

    /// Parameters with stable dotted names.
    public var parameters: [Parameter<Scalar>] {
        var result = encoder.parameters(prefix: kind == .hierarchicalCVAE ? "global_encoder" : "encoder")
        if let localEncoder { result += localEncoder.parameters(prefix: "local_encoder") }
        if let localPrior { result += localPrior.parameters(prefix: "local_prior") }
        result += decoder.parameters(prefix: "decoder")
        if let logVariance { result.append(Parameter(name: "decoder.log_variance", tensor: logVariance)) }
        return result
    }

    /// Forward multiply-adds per example.
    public var multiplyAddsPerExample: Int {
        encoder.multiplyAddsPerExample + (localEncoder?.multiplyAddsPerExample ?? 0) + (localPrior?.multiplyAddsPerExample ?? 0) + decoder.multiplyAddsPerExample
    }

    /// The reconstruction target: the input's values, or class indices per group.
    public enum Target {
        case values(Graph<Scalar>.Variable)
        case labels(Graph<Scalar>.Labels)
    }

    /// Records a forward pass. `conditions` is the one-hot label (rows × classes) for conditional models;
    /// `generator` draws the reparameterisation noise.
    public func forward(_ input: Graph<Scalar>.Variable, target: Target, conditions: Graph<Scalar>.Variable?,
                        generator: inout RandomGenerator, in graph: Graph<Scalar>) -> ModelOutput<Scalar> {
        let rows = graph.shape(input).rows
        precondition(!kind.isConditional || conditions != nil, "a \(kind.rawValue) needs conditions")
        func withConditions(_ x: Graph<Scalar>.Variable) -> Graph<Scalar>.Variable {
            guard kind.isConditional, let conditions else { return x }
            return graph.concatenateColumns(x, conditions)
        }
        func sample(_ statistics: Graph<Scalar>.Variable, size: Int) -> (Graph<Scalar>.Variable, Graph<Scalar>.Variable, Graph<Scalar>.Variable) {
            let (mean, logVariance) = graph.splitColumns(statistics, at: size)
            let noise = graph.constant(rows: rows, columns: size) { generator.fillNormal($0) }
            return (mean, logVariance, graph.reparameterize(mean: mean, logVariance: logVariance, noise: noise))
        }

        let (mean, logVariance, z) = sample(encoder(withConditions(input), in: graph), size: latentSizes[0])
        var klPerDimension = [graph.klStandardNormal(mean: mean, logVariance: logVariance)]
        var means = [mean]
        var latent = z
        if let localEncoder, let localPrior {
            let (localMean, localLogVariance, zLocal) = sample(localEncoder(withConditions(graph.concatenateColumns(input, z)), in: graph), size: latentSizes[1])
            let (priorMean, priorLogVariance) = graph.splitColumns(localPrior(withConditions(z), in: graph), at: latentSizes[1])
            klPerDimension.append(graph.klDiagonalGaussians(meanQ: localMean, logVarianceQ: localLogVariance, meanP: priorMean, logVarianceP: priorLogVariance))
            means.append(localMean)
            latent = graph.concatenateColumns(z, zLocal)
        }
        let output = decoder(withConditions(latent), in: graph)
        let reconstruction: Graph<Scalar>.Variable
        switch (likelihood, target) {
        case (.bernoulli, .values(let values)):
            reconstruction = graph.binaryCrossEntropyWithLogits(output, targets: values)
        case (.gaussian(let learned), .values(let values)):
            let variance = learned ? graph.parameter(self.logVariance!) : graph.constant(rows: 1, columns: featureCount, repeating: 0)
            reconstruction = graph.gaussianNegativeLogLikelihood(mean: output, logVariance: variance, target: values)
        case (.squaredError, .values(let values)):
            reconstruction = graph.squaredError(output, target: values)
        case (.categorical(let groupSize), .labels(let labels)):
            reconstruction = graph.categoricalCrossEntropy(output, labels: labels, groupSize: groupSize)
        default:
            preconditionFailure("a \(likelihood.name) likelihood needs \(likelihood.name == "categorical" ? "labels" : "values") as its target")
        }
        return ModelOutput(reconstruction: reconstruction, klPerDimension: klPerDimension, posteriorMeans: means, output: output)
    }
}
