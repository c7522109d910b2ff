/// A numeric array read from a file: values in single precision (what training uses; integers up to 2²⁴, and
/// so every label, are exact), its shape, the element type the file stored, and the smallest and largest
/// value the file held. Reading straight into Float keeps peak memory at four bytes per value plus the
/// reader's buffers.
public struct NumericArray: Sendable {
    public var values: [Float]
    public var shape: [Int]
    /// The type of the values in the file (`.uint8` for 8-bit images, `.text` for CSV, …).
    public var elementType: NumericElementType
    /// The smallest value in the file, in the file's own precision (a float64 value beyond single precision
    /// is reported as it was, not as infinity); NaN is skipped. Nil when there is no value but NaN.
    public var minimum: Double?
    /// The largest value in the file, like `minimum`: uint8 data whose maximum is 16 is not 0–255 pixels.
    public var maximum: Double?

    /// An array with its range as measured by the reader.
    public init(values: [Float], shape: [Int], elementType: NumericElementType, minimum: Double?, maximum: Double?) {
        self.values = values
        self.shape = shape
        self.elementType = elementType
        self.minimum = minimum
        self.maximum = maximum
    }

    /// An array whose range is measured from `values` (NaN skipped).
    public init(values: [Float], shape: [Int], elementType: NumericElementType) {
        var range = ValueRange()
        for value in values { range.add(Double(value)) }
        self.init(values: values, shape: shape, elementType: elementType, minimum: range.minimum, maximum: range.maximum)
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
