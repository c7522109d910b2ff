/// Where a binary array file's values lie and how they are stored, from its header (checked against the file's
/// size): what `NPYReader` and `IDXReader` find before converting or mapping the values.
struct BinaryArrayLocation: Sendable {
    /// Byte offset of the first value.
    var offset: Int
    /// Values in all (the product of `shape`).
    var count: Int
    var type: NumericElementType
    var bigEndian: Bool
    var shape: [Int]
}
