/// What one pass over a binary array's values found (`BinaryConversion.scan`), in single precision as training
/// reads them: enough to check the file and choose its scaling without keeping the values.
struct ArraySummary: Sendable {
    /// The smallest and largest value in the file's own precision, NaN skipped (nil if none).
    var minimum: Double?
    var maximum: Double?
    /// The flat index and value of the first NaN or infinity (after conversion to single precision).
    var firstNonFinite: (index: Int, value: Float)?
    /// The largest |value| in single precision.
    var largestMagnitude: Float = 0
    /// Whether every value is a whole number from 0 to 255 (`DataSource.isWholeNumbersUpTo255`).
    var wholeNumbersUpTo255 = true

    /// Takes in a block of converted values whose first is value `firstIndex` of the file.
    mutating func add(_ values: UnsafeBufferPointer<Float>, firstIndex: Int) {
        for (offset, value) in values.enumerated() {
            if !value.isFinite, firstNonFinite == nil { firstNonFinite = (firstIndex + offset, value) }
            largestMagnitude = max(largestMagnitude, abs(value))
        }
        if wholeNumbersUpTo255 { wholeNumbersUpTo255 = values.allSatisfy { $0 >= 0 && $0 <= 255 && $0 == $0.rounded() } }
    }

    /// The summary of values held in memory.
    init(_ values: [Float], minimum: Double?, maximum: Double?) {
        values.withUnsafeBufferPointer { add($0, firstIndex: 0) }
        self.minimum = minimum
        self.maximum = maximum
    }

    init() {}
}
