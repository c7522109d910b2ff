/// A numeric array read from a file: values in single precision (what training uses; integers up to 2²⁴, and
/// so every label, are exact), its shape, and the element type's name. Reading straight into Float keeps peak
/// memory at the file plus four bytes per value.
public struct NumericArray: Sendable {
    public var values: [Float]
    public var shape: [Int]
    public var elementType: String

    public init(values: [Float], shape: [Int], elementType: String) {
        self.values = values
        self.shape = shape
        self.elementType = elementType
    }

    /// Rows (the first dimension).
    public var rows: Int { shape.first ?? 0 }
    /// Everything after the first dimension, flattened.
    public var columns: Int { shape.dropFirst().reduce(1, *) }

    /// The index and value of the first NaN or infinity, if any.
    public var firstNonFinite: (row: Int, column: Int, value: Float)? {
        guard let index = values.firstIndex(where: { !$0.isFinite }) else { return nil }
        let width = max(1, columns)
        return (index / width, index % width, values[index])
    }
}
