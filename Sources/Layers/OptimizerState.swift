import Tensors

/// Everything an optimiser remembers between steps, by parameter name, for checkpoints: restoring it makes
/// the next step exactly the step an uninterrupted run would take.
public struct OptimizerState<Scalar: TensorScalar>: Codable, Equatable, Sendable {
    public var configuration: OptimizerConfiguration
    /// Steps taken so far (Adam's bias correction depends on it).
    public var step: Int
    /// Steps skipped for non-finite gradients.
    public var skippedSteps: Int
    /// SGD's momentum buffers, or Adam's first moments.
    public var firstBuffers: [String: [Scalar]]
    /// Adam's second moments.
    public var secondBuffers: [String: [Scalar]]

    public init(configuration: OptimizerConfiguration, step: Int, skippedSteps: Int, firstBuffers: [String: [Scalar]], secondBuffers: [String: [Scalar]]) {
        self.configuration = configuration
        self.step = step
        self.skippedSteps = skippedSteps
        self.firstBuffers = firstBuffers
        self.secondBuffers = secondBuffers
    }
}
