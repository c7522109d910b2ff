/// Which optimiser, with its hyperparameters (config `training.optimizer`). Defaults are PyTorch's.
public enum OptimizerConfiguration: Hashable, Codable, Sendable {
    /// `torch.optim.SGD`.
    case sgd(momentum: Double = 0, dampening: Double = 0, nesterov: Bool = false, weightDecay: Double = 0)
    /// `torch.optim.Adam` (L2 weight decay added to the gradient).
    case adam(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0)
    /// `torch.optim.AdamW` (decoupled weight decay, PyTorch's default 0.01).
    case adamW(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0.01)

    /// The name used in configs and checkpoints.
    public var name: String {
        switch self {
        case .sgd: return "sgd"
        case .adam: return "adam"
        case .adamW: return "adamw"
        }
    }
}
