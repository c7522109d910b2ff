import Tensors

/// A trainable tensor with a stable dotted name (`encoder.layers.0.weight`), used verbatim in checkpoints
/// and logs, as PyTorch's `state_dict` names are.
public struct Parameter<Scalar: TensorScalar>: Sendable {
    public let name: String
    public let tensor: ParameterTensor<Scalar>

    public init(name: String, tensor: ParameterTensor<Scalar>) {
        self.name = name
        self.tensor = tensor
    }
}
