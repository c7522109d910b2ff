import Tensors

/// A trainable tensor with a stable dotted name (`encoder.layers.0.weight`), used verbatim in checkpoints
/// and logs, as PyTorch's `state_dict` names are.
public struct Parameter<Scalar: TensorScalar>: Sendable {
    public let name: String
    public let tensor: ParameterTensor<Scalar>
    /// The shape as PyTorch holds it (export writes it): a linear weight (out, in), a bias (out,), a
    /// convolution's weight (out, in, kh, kw), a transposed convolution's (in, out, kh, kw). The values are stored
    /// row-major in that shape; `tensor` views them as a matrix.
    public let shape: [Int]

    public init(name: String, tensor: ParameterTensor<Scalar>, shape: [Int]? = nil) {
        self.name = name
        self.tensor = tensor
        self.shape = shape ?? (name.hasSuffix(".bias") && tensor.rows == 1 ? [tensor.columns] : [tensor.rows, tensor.columns])
        precondition(self.shape.reduce(1, *) == tensor.count, "\(name): shape \(self.shape) does not hold \(tensor.count) values")
    }
}
