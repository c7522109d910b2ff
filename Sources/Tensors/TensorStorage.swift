/// The heap buffer behind a `Tensor` (and a `ParameterTensor`): one allocation, freed with the last owner, or a
/// view of memory that another object owns (a parameter living in a `ParameterBuffer`), kept alive with it.
public final class TensorStorage<Scalar: TensorScalar>: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Scalar>
    public let count: Int
    /// The owner of the memory of a view; nil when this storage allocated it.
    private let owner: AnyObject?

    public init(count: Int, repeating value: Scalar = 0) {
        self.count = count
        pointer = .allocate(capacity: max(1, count))
        pointer.initialize(repeating: value, count: max(1, count))
        owner = nil
    }

    public init(copying source: UnsafePointer<Scalar>, count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(1, count))
        pointer.initialize(from: source, count: count)
        if count == 0 { pointer.initialize(to: 0) }
        owner = nil
    }

    /// A view of `count` initialised scalars at `pointer`, which `owner` allocated and keeps.
    init(viewing pointer: UnsafeMutablePointer<Scalar>, count: Int, owner: AnyObject) {
        self.pointer = pointer
        self.count = count
        self.owner = owner
    }

    deinit {
        guard owner == nil else { return }
        pointer.deinitialize(count: max(1, count))
        pointer.deallocate()
    }
}
