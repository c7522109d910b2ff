/// Examples in a memory-mapped binary array file (.npy, IDX), kept in the type the file stores (uint8 stays one
/// byte a value) and converted one batch at a time: value = stored value / `divisor` (`data.scale`), and an image
/// stored channels last (N, H, W, C) is read channels first, as the convolutions take it. The file's pages are
/// read when a batch touches them, so a data set larger than memory trains with the memory of its batches.
public struct MappedArrayRows: FeatureSource {
    public let file: MappedFile
    /// Byte offset of the first value.
    public let offset: Int
    public let elementType: NumericElementType
    public let bigEndian: Bool
    public let rowCount: Int
    public let width: Int
    /// What each value is divided by (nil: nothing).
    public let divisor: Float?
    /// For (N, H, W, C) images: height, width and channels of the stored order.
    public let channelsLast: (height: Int, width: Int, channels: Int)?

    init(file: MappedFile, offset: Int, elementType: NumericElementType, bigEndian: Bool, rowCount: Int, width: Int, divisor: Float?,
         channelsLast: (height: Int, width: Int, channels: Int)?) {
        precondition(elementType.byteSize.map { offset + rowCount * width * $0 <= file.size } == true, "the values lie in the file")
        self.file = file
        self.offset = offset
        self.elementType = elementType
        self.bigEndian = bigEndian
        self.rowCount = rowCount
        self.width = width
        self.divisor = divisor
        self.channelsLast = channelsLast
    }

    public func copyRow(_ row: Int, into buffer: UnsafeMutablePointer<Float>) {
        guard let base = file.base else { return }
        let values = base + offset
        if let (height, imageWidth, channels) = channelsLast {
            // Stored value (y, x, k) of the example goes to (k, y, x): one value at a time, from the row's start.
            let first = row * width
            for y in 0..<height {
                for x in 0..<imageWidth {
                    for k in 0..<channels {
                        BinaryConversion.copy(values, type: elementType, bigEndian: bigEndian, first: first + (y * imageWidth + x) * channels + k,
                                              count: 1, into: buffer + (k * height + y) * imageWidth + x)
                    }
                }
            }
        } else {
            BinaryConversion.copy(values, type: elementType, bigEndian: bigEndian, first: row * width, count: width, into: buffer)
        }
        if let divisor { for j in 0..<width { buffer[j] /= divisor } }
    }
}
