import Layers
import RealModule
import Tensors

/// The likelihood p(x | z) on a decoder's output, shared by every model: the negative log-likelihood per
/// example, and the mean for sampling. Holds the learned log-variance of a Gaussian likelihood
/// (`decoder.log_variance`, one per feature).
struct ReconstructionHead<Scalar: TensorScalar>: Sendable {
    let likelihood: Likelihood
    let featureCount: Int
    let categoryGroupSize: Int
    let logVariance: ParameterTensor<Scalar>?

    init(_ shape: ModelShape) {
        likelihood = shape.likelihood
        featureCount = shape.featureCount
        categoryGroupSize = shape.categoryGroupSize ?? 1
        if case .gaussian(true) = shape.likelihood {
            logVariance = ParameterTensor(Tensor(rows: 1, columns: shape.featureCount))
        } else {
            logVariance = nil
        }
    }

    var parameters: [Parameter<Scalar>] {
        logVariance.map { [Parameter(name: "decoder.log_variance", tensor: $0)] } ?? []
    }

    /// The model's reconstruction term in a forward pass: −log p(x | z) per example, or zeros (rows × 1) when
    /// the context does not need it (`ForwardContext.computesReconstruction`).
    func reconstructionTerm(_ output: Graph<Scalar>.Variable, target: ModelBatch<Scalar>.Target, context: ForwardContext,
                            in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        guard context.computesReconstruction else { return graph.constant(rows: graph.shape(output).rows, columns: 1, repeating: 0) }
        return negativeLogLikelihood(output, target: target, in: graph)
    }

    /// −log p(x | z) per example (rows × 1) for decoder output `output`. With `normalized`, the squared error
    /// becomes the density of a Gaussian with variance ½ (adding ½·log π per feature), so importance weights are
    /// true log-densities; training's objective leaves the constant out.
    func negativeLogLikelihood(_ output: Graph<Scalar>.Variable, target: ModelBatch<Scalar>.Target, normalized: Bool = false,
                               in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        switch (likelihood, target) {
        case (.bernoulli, .values(let values)):
            return graph.binaryCrossEntropyWithLogits(output, targets: values)
        case (.gaussian(let learned), .values(let values)):
            let variance = learned ? graph.parameter(logVariance!) : graph.constant(rows: 1, columns: featureCount, repeating: 0)
            return graph.gaussianNegativeLogLikelihood(mean: output, logVariance: variance, target: values)
        case (.squaredError, .values(let values)):
            let error = graph.squaredError(output, target: values)
            return normalized ? graph.addScalar(error, Double(featureCount) * 0.5 * Double.log(Double.pi)) : error
        case (.categorical, .labels(let labels, let groupSize)):
            return graph.categoricalCrossEntropy(output, labels: labels, groupSize: groupSize)
        default:
            preconditionFailure("a \(likelihood.name) likelihood needs \(likelihood == .categorical ? "labels" : "values") as its target")
        }
    }

    /// The mean of p(x | z): probabilities for Bernoulli, μ for Gaussian and squared error, per-group class
    /// probabilities for categorical.
    func mean(_ output: Graph<Scalar>.Variable, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        switch likelihood {
        case .bernoulli: return graph.sigmoid(output)
        case .gaussian, .squaredError: return output
        case .categorical: return graph.softmax(output, groupSize: categoryGroupSize)
        }
    }
}
