/// The heap buffer behind a `Tensor` (and a `ParameterTensor`): one allocation, freed with the last owner.
public final class TensorStorage<Scalar: TensorScalar>: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Scalar>
    public let count: Int

    public init(count: Int, repeating value: Scalar = 0) {
        self.count = count
        pointer = .allocate(capacity: max(1, count))
        pointer.initialize(repeating: value, count: max(1, count))
    }

    public init(copying source: UnsafePointer<Scalar>, count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(1, count))
        pointer.initialize(from: source, count: count)
        if count == 0 { pointer.initialize(to: 0) }
    }

    deinit {
        pointer.deinitialize(count: max(1, count))
        pointer.deallocate()
    }
}
