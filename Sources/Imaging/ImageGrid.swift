/// Images of one size laid out in a grid, as torchvision's `make_grid` does, ready to write as a PNG file:
/// `columns` images per row (fewer when there are fewer images), `padding` pixels of `paddingValue` around and
/// between them, and each image optionally enlarged `scale` times by repeating pixels (nearest neighbour), so
/// that 8 × 8 digits can be seen: 16 digits of 8 × 8 at scale 4 with columns 8 and padding 2 make a
/// 8·(32 + 2) + 2 = 274 by 2·(32 + 2) + 2 = 70 pixel picture.
///
/// Values are in [0, 1] (0 black, 1 white or full intensity); a value outside is clamped, and stored as
/// round(255·v). Cells past the last image keep the padding value.
public struct ImageGrid: Sendable, Equatable {
    public let imageCount: Int
    public let imageWidth: Int
    public let imageHeight: Int
    public let format: PixelFormat
    /// Images per grid row: min(columns asked for, imageCount).
    public let columns: Int
    public let padding: Int
    public let paddingValue: Double
    public let scale: Int
    /// Every image's bytes, image after image, each row-major with channels interleaved.
    private let bytes: [UInt8]

    /// A grid of `imageCount` images of `width` × `height` pixels from `pixels`: image after image, each
    /// row-major (top row first) with `format.channels` interleaved values per pixel, so
    /// imageCount·height·width·channels values in [0, 1] (a tensor of generated images, row by row).
    public init<Values: Collection>(pixels: Values, imageCount: Int, width: Int, height: Int, format: PixelFormat = .grayscale,
                                    columns: Int = 8, padding: Int = 2, paddingValue: Double = 0, scale: Int = 1) throws(ImagingError)
    where Values.Element: BinaryFloatingPoint {
        guard imageCount >= 1 else { throw ImagingError("a grid needs at least one image") }
        guard width >= 1, height >= 1 else { throw ImagingError("images of \(width) × \(height) pixels; both sides must be at least 1") }
        guard columns >= 1 else { throw ImagingError("columns must be at least 1, not \(columns)") }
        guard padding >= 0 else { throw ImagingError("padding must be 0 or more, not \(padding)") }
        guard scale >= 1 else { throw ImagingError("scale must be at least 1, not \(scale)") }
        guard paddingValue.isFinite else { throw ImagingError("the padding value must be a number, not \(paddingValue)") }
        let expected = imageCount * height * width * format.channels
        guard pixels.count == expected else {
            throw ImagingError("\(pixels.count) values for \(imageCount) images of \(width) × \(height) × \(format.channels); expected \(expected)")
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(expected)
        for (index, value) in pixels.enumerated() {
            let v = Double(value)
            guard !v.isNaN else {
                let perImage = height * width * format.channels
                throw ImagingError("value \(index) (image \(index / perImage)) is NaN")
            }
            bytes.append(Self.byte(v))
        }
        self.imageCount = imageCount
        imageWidth = width
        imageHeight = height
        self.format = format
        self.columns = min(columns, imageCount)
        self.padding = padding
        self.paddingValue = paddingValue
        self.scale = scale
        self.bytes = bytes
    }

    /// round(255·clamp(v, 0, 1)).
    static func byte(_ value: Double) -> UInt8 {
        UInt8((255 * min(max(value, 0), 1)).rounded())
    }

    /// Rows of images: ⌈imageCount / columns⌉.
    public var rows: Int { (imageCount + columns - 1) / columns }
    /// The grid's width in pixels: columns·(width·scale + padding) + padding.
    public var width: Int { columns * (imageWidth * scale + padding) + padding }
    /// The grid's height in pixels: rows·(height·scale + padding) + padding.
    public var height: Int { rows * (imageHeight * scale + padding) + padding }

    /// The grid as one image.
    public func image() throws(ImagingError) -> PNGImage {
        let channels = format.channels
        var canvas = [UInt8](repeating: Self.byte(paddingValue), count: width * height * channels)
        let cellWidth = imageWidth * scale + padding, cellHeight = imageHeight * scale + padding
        for index in 0..<imageCount {
            let left = padding + (index % columns) * cellWidth
            let top = padding + (index / columns) * cellHeight
            let source = index * imageHeight * imageWidth * channels
            for y in 0..<(imageHeight * scale) {
                let sourceRow = source + (y / scale) * imageWidth * channels
                let destinationRow = ((top + y) * width + left) * channels
                for x in 0..<(imageWidth * scale) {
                    for c in 0..<channels {
                        canvas[destinationRow + x * channels + c] = bytes[sourceRow + (x / scale) * channels + c]
                    }
                }
            }
        }
        return try PNGImage(width: width, height: height, format: format, pixels: canvas)
    }

    /// Writes the grid as a PNG file, atomically (see `PNGImage.write(to:)`).
    public func write(to path: String) throws(ImagingError) {
        try image().write(to: path)
    }
}

extension ImageGrid {
    /// Images stored channels first (C × H × W each, as training reads them) with channels interleaved per pixel
    /// (H × W × C), as a grid takes them; one channel is returned as it is.
    public static func interleaved(_ values: [Float], channels: Int, pixels: Int) -> [Float] {
        guard channels > 1 else { return values }
        var result = [Float](repeating: 0, count: values.count)
        for image in 0..<(values.count / (channels * pixels)) {
            let base = image * channels * pixels
            for p in 0..<pixels {
                for c in 0..<channels { result[base + p * channels + c] = values[base + c * pixels + p] }
            }
        }
        return result
    }
}
