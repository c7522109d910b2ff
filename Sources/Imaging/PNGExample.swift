import CPNG
import Foundation

/// A PNG file read as a training example (a folder of PNG files, `data.source: "png_folder"`): 8-bit gray or
/// RGB values exactly as stored, or an error that says why the file cannot be one.
///
/// Read with libpng's simplified API. Exact conversions only: a palette image is expanded to its colours (gray
/// when they all are), gray levels of 1, 2 or 4 bits are expanded to 0–255, and an alpha channel that is opaque
/// everywhere (255) is dropped. Refused: 16-bit images (libpng would reduce them
/// to 8 bits through a gamma curve, changing the values), transparent pixels (composing them over a background
/// would invent values), images larger than `maximumValues`, and anything libpng cannot decode (corrupt or
/// truncated files, files that are not PNG).
public struct PNGExample: Sendable {
    public let image: PNGImage
    /// The file was palette-based and was expanded to its colours.
    public let expandedPalette: Bool
    /// The file had an alpha channel, opaque everywhere, which was dropped.
    public let droppedOpaqueAlpha: Bool
    /// Bits a sample in the file (1, 2, 4 or 8; a palette image's index bits): below 8 (not a palette), libpng
    /// expands gray levels exactly to 0–255 (v·255/(2^bits − 1)).
    public let bitDepth: Int

    /// The most values (width × height × channels) one image may have: 64 M, 8,192 × 8,192 RGB.
    public static let maximumValues = 1 << 26

    /// The image's size and format from its header, without decoding it (a folder's images are checked to agree
    /// before any is decoded in full).
    public static func header(of data: Data) throws(ImagingError) -> (width: Int, height: Int, format: PixelFormat) {
        guard !data.isEmpty else { throw ImagingError("is empty (0 bytes), not a PNG image") }
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        let begun = data.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        guard begun != 0 else { throw ImagingError("is not a PNG file libpng can read (\(PNGImage.message(of: &image)))") }
        defer { png_image_free(&image) }
        return (Int(image.width), Int(image.height), image.format & png_uint_32(PNG_FORMAT_FLAG_COLOR) != 0 ? .rgb : .grayscale)
    }

    /// Decodes `data`; errors are phrases about the file ("is a 16-bit PNG; …"). A palette whose colours are
    /// all gray gives a gray image.
    public init(pngData data: Data) throws(ImagingError) {
        guard !data.isEmpty else { throw ImagingError("is empty (0 bytes), not a PNG image") }
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        let begun = data.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        guard begun != 0 else { throw ImagingError("is not a PNG file libpng can read (\(PNGImage.message(of: &image)))") }
        let stored = image.format
        let format: PixelFormat = stored & png_uint_32(PNG_FORMAT_FLAG_COLOR) != 0 ? .rgb : .grayscale
        let hasAlpha = stored & png_uint_32(PNG_FORMAT_FLAG_ALPHA) != 0
        let width = Int(image.width), height = Int(image.height)
        if stored & png_uint_32(PNG_FORMAT_FLAG_LINEAR) != 0 {
            png_image_free(&image)
            throw ImagingError("is a 16-bit PNG; anneal reads 8-bit images (reducing 16 bits to 8 is a choice of scale and gamma: save 8-bit PNGs, e.g. with Pillow's Image.fromarray((array >> 8).astype('uint8')))")
        }
        let channels = format.channels + (hasAlpha ? 1 : 0)
        guard width.multipliedReportingOverflow(by: height).partialValue <= Self.maximumValues / channels else {
            png_image_free(&image)
            throw ImagingError("is \(width) × \(height) pixels, more than an example may have (\(Self.maximumValues) values)")
        }
        // 8-bit channels, colour or gray, with the alpha channel when the file has one (checked below).
        image.format = (format == .rgb ? png_uint_32(PNG_FORMAT_FLAG_COLOR) : 0) | (hasAlpha ? png_uint_32(PNG_FORMAT_FLAG_ALPHA) : 0)
        var values = [UInt8](repeating: 0, count: width * height * channels)
        let finished = values.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
        guard finished != 0 else {
            let message = PNGImage.message(of: &image)
            png_image_free(&image)
            throw ImagingError("cannot be decoded, it is corrupt or truncated (libpng: \(message))")
        }
        if hasAlpha {
            // Keep the colour channels; every alpha value must be 255.
            var pixels = [UInt8](repeating: 0, count: width * height * format.channels)
            for pixel in 0..<(width * height) {
                let alpha = values[pixel * channels + channels - 1]
                guard alpha == 255 else {
                    throw ImagingError("has transparent pixels (alpha \(alpha) at column \(pixel % width), row \(pixel / width)); anneal reads opaque images: flatten them onto the background you mean first")
                }
                for k in 0..<format.channels { pixels[pixel * format.channels + k] = values[pixel * channels + k] }
            }
            values = pixels
        }
        expandedPalette = stored & png_uint_32(PNG_FORMAT_FLAG_COLORMAP) != 0
        droppedOpaqueAlpha = hasAlpha
        // A palette of grays (pngquant's and optipng's output of gray images) is gray: R = G = B everywhere.
        var decodedFormat = format
        if expandedPalette, format == .rgb, Self.allGray(values) {
            values = stride(from: 0, to: values.count, by: 3).map { values[$0] }
            decodedFormat = .grayscale
        }
        // Bits a sample from the header (IHDR's bit depth, byte 24 of a PNG file); 1, 2 and 4 are expanded to 0–255.
        bitDepth = data.count > 24 && data[data.startIndex + 12..<data.startIndex + 16].elementsEqual("IHDR".utf8) ? Int(data[data.startIndex + 24]) : 8
        self.image = try PNGImage(width: width, height: height, format: decodedFormat, pixels: values)
    }

    /// Whether interleaved RGB values have R = G = B at every pixel.
    static func allGray(_ values: [UInt8]) -> Bool {
        var index = 0
        while index + 2 < values.count {
            if values[index] != values[index + 1] || values[index] != values[index + 2] { return false }
            index += 3
        }
        return true
    }
}
