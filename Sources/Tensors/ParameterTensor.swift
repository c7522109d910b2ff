/// A trainable matrix and its gradient, both at fixed addresses so a graph can read the value and accumulate
/// the gradient in place, step after step, without copying.
///
/// `gradientIsZero` stands for a gradient of zeros without writing them: zeroing before a step is a flag, and
/// the first gradient contribution of the step overwrites instead of adding.
///
/// An optimiser may move a parameter's value and gradient into one contiguous `ParameterBuffer` with the other
/// parameters it updates (`value` and `gradient` then view that buffer); a graph reads the addresses afresh
/// every step, so the move is invisible to everything but the optimiser's single pass.
public final class ParameterTensor<Scalar: TensorScalar>: @unchecked Sendable {
    public let rows: Int
    public let columns: Int
    public private(set) var value: TensorStorage<Scalar>
    public private(set) var gradient: TensorStorage<Scalar>
    public var gradientIsZero = true

    public init(_ initial: Tensor<Scalar>) {
        rows = initial.rows
        columns = initial.columns
        value = initial.withUnsafeBufferPointer { TensorStorage(copying: $0.baseAddress!, count: initial.count) }
        gradient = TensorStorage(count: initial.count)
    }

    public var count: Int { rows * columns }

    /// A copy of the value.
    public var tensor: Tensor<Scalar> { Tensor(rows: rows, columns: columns, copying: value.pointer) }

    /// A copy of the gradient (zeros when `gradientIsZero`).
    public var gradientTensor: Tensor<Scalar> {
        gradientIsZero ? Tensor(rows: rows, columns: columns) : Tensor(rows: rows, columns: columns, copying: gradient.pointer)
    }

    /// Replaces the value (same shape).
    public func assign(_ tensor: Tensor<Scalar>) {
        precondition(tensor.rows == rows && tensor.columns == columns, "shape mismatch")
        tensor.withUnsafeBufferPointer { value.pointer.update(from: $0.baseAddress!, count: count) }
    }

    /// Copies the value and gradient into `value` and `gradient` and uses those from now on.
    func relocate(value newValue: TensorStorage<Scalar>, gradient newGradient: TensorStorage<Scalar>) {
        precondition(newValue.count == count && newGradient.count == count, "relocating a parameter needs storage of its size")
        newValue.pointer.update(from: value.pointer, count: count)
        newGradient.pointer.update(from: gradient.pointer, count: count)
        value = newValue
        gradient = newGradient
    }

    /// Marks the gradient as zero (no memory is written).
    public func zeroGradient() { gradientIsZero = true }
}
