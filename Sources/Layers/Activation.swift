import Tensors

/// The non-linearity between the layers of an MLP (config `model.activation`).
public enum Activation: String, CaseIterable, Codable, Sendable {
    case relu
    case leakyRelu = "leaky_relu"
    case elu
    case tanh
    case sigmoid
    case softplus

    /// The element-wise operation (leaky ReLU with PyTorch's default slope 0.01, ELU with α = 1).
    public var operation: UnaryOperation {
        switch self {
        case .relu: return .relu
        case .leakyRelu: return .leakyRelu(slope: 0.01)
        case .elu: return .elu(alpha: 1)
        case .tanh: return .tanh
        case .sigmoid: return .sigmoid
        case .softplus: return .softplus
        }
    }
}
