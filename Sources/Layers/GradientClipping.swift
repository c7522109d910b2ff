import Tensors

/// Gradient clipping by global norm (PyTorch's `clip_grad_norm_`) and the finite-gradient check the trainer
/// uses to skip a step rather than apply NaN or infinity.
public enum GradientClipping {
    /// The L2 norm of all gradients together (a zero-flagged gradient counts as zeros).
    public static func globalNorm<Scalar: TensorScalar>(_ parameters: [Parameter<Scalar>]) -> Double {
        var sum = 0.0
        for parameter in parameters where !parameter.tensor.gradientIsZero {
            sum += Scalar.sumOfSquares(parameter.tensor.gradient.pointer, parameter.tensor.count)
        }
        return sum.squareRoot()
    }

    /// `maxNorm/(norm + 1e-6)`: what clipping multiplies the gradients by when it is below 1.
    public static func coefficient(norm: Double, maxNorm: Double) -> Double { maxNorm / (norm + 1e-6) }

    /// Scales all gradients by `maxNorm/(norm + 1e-6)` when that is below 1, and returns the norm before
    /// clipping. A non-finite norm is returned as it is and nothing is scaled: the caller skips the step.
    @discardableResult
    public static func clipByGlobalNorm<Scalar: TensorScalar>(_ parameters: [Parameter<Scalar>], maxNorm: Double) -> Double {
        let norm = globalNorm(parameters)
        guard norm.isFinite else { return norm }
        let coefficient = coefficient(norm: norm, maxNorm: maxNorm)
        if coefficient < 1 {
            for parameter in parameters where !parameter.tensor.gradientIsZero {
                Scalar.scaleInPlace(parameter.tensor.gradient.pointer, Scalar(coefficient), parameter.tensor.count)
            }
        }
        return norm
    }
}
