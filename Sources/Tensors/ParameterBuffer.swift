/// The values and the gradients of several parameters, each set in one contiguous, 64-byte aligned
/// allocation, so that an optimiser can update all parameters in one pass over memory (and split that pass
/// between threads evenly). Creating the buffer moves the parameters into it (`ParameterTensor.relocate`).
///
/// Each parameter starts at a multiple of 16 scalars; the gaps between them hold zeros in both halves and stay
/// zero under Adam, AdamW and SGD, so a pass may run over the whole buffer.
public final class ParameterBuffer<Scalar: TensorScalar>: @unchecked Sendable {
    /// Scalars in each half, gaps included.
    public let count: Int
    public let values: UnsafeMutablePointer<Scalar>
    public let gradients: UnsafeMutablePointer<Scalar>
    /// Where each parameter starts, in the order given.
    public let offsets: [Int]

    /// The first scalar of each parameter is aligned to this many scalars.
    public static var alignment: Int { 16 }

    public init(_ tensors: [ParameterTensor<Scalar>]) {
        var offsets: [Int] = [], end = 0
        for tensor in tensors {
            offsets.append(end)
            end += (tensor.count + Self.alignment - 1) / Self.alignment * Self.alignment
        }
        count = end
        self.offsets = offsets
        values = Self.zeros(end)
        gradients = Self.zeros(end)
        for (tensor, offset) in zip(tensors, offsets) {
            tensor.relocate(value: TensorStorage(viewing: values + offset, count: tensor.count, owner: self),
                            gradient: TensorStorage(viewing: gradients + offset, count: tensor.count, owner: self))
        }
    }

    /// `count` zeros, 64-byte aligned.
    public static func zeros(_ count: Int) -> UnsafeMutablePointer<Scalar> {
        // Zero bytes are +0 in every IEEE format: one memset, not a generic loop over elements.
        let bytes = max(1, count) * MemoryLayout<Scalar>.stride
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        return raw.bindMemory(to: Scalar.self, capacity: max(1, count))
    }

    /// Whether `tensor`, the `index`-th given to `init`, still lives where this buffer put it (another buffer
    /// may have moved it since).
    public func holds(_ tensor: ParameterTensor<Scalar>, at index: Int) -> Bool {
        tensor.value.pointer == values + offsets[index] && tensor.gradient.pointer == gradients + offsets[index]
    }

    deinit {
        values.deallocate()
        gradients.deallocate()
    }
}
