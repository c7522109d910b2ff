/// The values of the quantities one consumer reads this step, by the positions it asked for, without
/// copying: a view of the trainer's value array.
public struct QuantityReading {
    let values: [Double]
    let indices: [Int]

    public init(values: [Double], indices: [Int]) {
        self.values = values
        self.indices = indices
    }

    /// The value of the consumer's `position`-th quantity.
    @inline(__always)
    public subscript(position: Int) -> Double { values[indices[position]] }
}
