import CKernels
import RealModule

/// The constants of one Adam (or AdamW) step, computed once per step as PyTorch's single-tensor Adam computes
/// them: the bias corrections depend only on the step number, not on the parameter.
public struct AdamStep: Sendable {
    public let oneMinusBeta1: Double
    public let beta2: Double
    public let oneMinusBeta2: Double
    /// lr / (1 − β₁ᵗ).
    public let stepSize: Double
    /// 1 / √(1 − β₂ᵗ).
    public let inverseCorrection2: Double
    public let epsilon: Double
    public let weightDecay: Double
    public let decoupled: Bool
    /// 1 − lr·λ (AdamW's shrink factor).
    public let shrink: Double

    public init(learningRate: Double, beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double, decoupled: Bool, step: Int) {
        oneMinusBeta1 = 1 - beta1
        self.beta2 = beta2
        oneMinusBeta2 = 1 - beta2
        stepSize = learningRate / (1 - Double.pow(beta1, Double(step)))
        inverseCorrection2 = 1 / (1 - Double.pow(beta2, Double(step))).squareRoot()
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupled = decoupled
        shrink = 1 - learningRate * weightDecay
    }

    /// The single-precision form the C kernel takes; gradients are multiplied by `gradientScale` first.
    func kernelParameters(gradientScale: Float) -> AnnealAdamParameters {
        AnnealAdamParameters(gradientScale: gradientScale, oneMinusBeta1: Float(oneMinusBeta1), beta2: Float(beta2),
                             oneMinusBeta2: Float(oneMinusBeta2), stepSize: Float(stepSize), inverseCorrection2: Float(inverseCorrection2),
                             epsilon: Float(epsilon), weightDecayMode: weightDecay == 0 ? 0 : (decoupled ? 2 : 1),
                             decay: Float(weightDecay), shrink: Float(shrink), flushSubnormals: flushesSubnormals ? 1 : 0)
    }

    /// Whether the kernel may flush subnormals to zero in this step without changing the parameters (see
    /// `anneal_adam`): ε ≥ 2⁻³⁷·c, so that √v·c for a subnormal v (√v < 2⁻⁶³) stays under a quarter ulp of ε.
    var flushesSubnormals: Bool {
        Float(epsilon) >= 0x1p-37 * Float(inverseCorrection2)
    }
}
