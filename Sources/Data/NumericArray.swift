/// A numeric array read from a file: values as Double (exact for every supported element type), its shape,
/// and the element type's name.
public struct NumericArray: Sendable {
    public var values: [Double]
    public var shape: [Int]
    public var elementType: String

    public init(values: [Double], shape: [Int], elementType: String) {
        self.values = values
        self.shape = shape
        self.elementType = elementType
    }

    /// Rows (the first dimension).
    public var rows: Int { shape.first ?? 0 }
    /// Everything after the first dimension, flattened.
    public var columns: Int { shape.dropFirst().reduce(1, *) }

    /// The index and value of the first NaN or infinity, if any.
    public var firstNonFinite: (row: Int, column: Int, value: Double)? {
        guard let index = values.firstIndex(where: { !$0.isFinite }) else { return nil }
        let width = max(1, columns)
        return (index / width, index % width, values[index])
    }
}
