import CPNG
import Foundation
import RunLog

/// An 8-bit grayscale or RGB image, encoded and decoded by libpng (its simplified `png_image` API; the
/// compression is zlib's, through libpng, never hand-written).
public struct PNGImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let format: PixelFormat
    /// Row-major, top row first, channels interleaved (R, G, B for `.rgb`): width·height·channels bytes.
    public let pixels: [UInt8]

    /// An image from its bytes; their count must be width·height·channels, and both sides at least 1.
    public init(width: Int, height: Int, format: PixelFormat, pixels: [UInt8]) throws(ImagingError) {
        guard width >= 1, height >= 1, width <= Int(Int32.max), height <= Int(Int32.max) else {
            throw ImagingError("an image of \(width) × \(height) pixels cannot be stored; both sides must be at least 1")
        }
        guard pixels.count == width * height * format.channels else {
            throw ImagingError("\(pixels.count) bytes for a \(width) × \(height) \(format.rawValue) image, which needs \(width * height * format.channels)")
        }
        self.width = width
        self.height = height
        self.format = format
        self.pixels = pixels
    }

    /// The value of channel `channel` at column `x`, row `y` (row 0 at the top).
    public subscript(x: Int, y: Int, channel: Int = 0) -> UInt8 {
        precondition(x >= 0 && x < width && y >= 0 && y < height && channel >= 0 && channel < format.channels, "pixel (\(x), \(y), \(channel)) is outside the image")
        return pixels[(y * width + x) * format.channels + channel]
    }

    /// The PNG file's bytes (8 bits per channel, no alpha).
    public func encoded() throws(ImagingError) -> Data {
        var image = Self.header(width: width, height: height, format: format)
        var size: png_alloc_size_t = 0
        let stride = png_int_32(width * format.channels)
        // First call: the size needed; second call: the bytes.
        let sized = pixels.withUnsafeBytes { png_image_write_to_memory(&image, nil, &size, 0, $0.baseAddress, stride, nil) }
        guard sized != 0 else { throw ImagingError("libpng could not encode the image: \(Self.message(of: &image))") }
        var data = Data(count: Int(size))
        let written = data.withUnsafeMutableBytes { out in
            pixels.withUnsafeBytes { png_image_write_to_memory(&image, out.baseAddress, &size, 0, $0.baseAddress, stride, nil) }
        }
        guard written != 0 else { throw ImagingError("libpng could not encode the image: \(Self.message(of: &image))") }
        data.count = Int(size)
        return data
    }

    /// Writes the PNG file whole or not at all (a temporary file in the same directory, then renamed).
    /// A missing directory, a directory in the way or an unwritable place is an error naming the path.
    public func write(to path: String) throws(ImagingError) {
        guard !path.isEmpty else { throw ImagingError("cannot write an image to an empty path") }
        let data = try encoded()
        do {
            try AtomicFile.write(data, to: path)
        } catch {
            throw ImagingError("cannot write \(path): \(error.reason)")
        }
    }

    /// Decodes PNG file bytes: grayscale files (with or without alpha) become `.grayscale`, colour files
    /// `.rgb`; alpha is composed over black and 16-bit channels reduced to 8 bits, by libpng.
    public init(pngData: Data) throws(ImagingError) {
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        let begun = pngData.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        guard begun != 0 else { throw ImagingError("not a PNG file libpng can read: \(Self.message(of: &image))") }
        let format: PixelFormat = image.format & png_uint_32(PNG_FORMAT_FLAG_COLOR) != 0 ? .rgb : .grayscale
        image.format = format == .rgb ? png_uint_32(PNG_FORMAT_RGB) : png_uint_32(PNG_FORMAT_GRAY)
        let width = Int(image.width), height = Int(image.height)
        var pixels = [UInt8](repeating: 0, count: width * height * format.channels)
        let finished = pixels.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
        guard finished != 0 else {
            let message = Self.message(of: &image)
            png_image_free(&image)
            throw ImagingError("libpng could not decode the image: \(message)")
        }
        try self.init(width: width, height: height, format: format, pixels: pixels)
    }

    /// Reads and decodes a PNG file.
    public init(contentsOf path: String) throws(ImagingError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ImagingError(path: path, "cannot read the file: \((error as NSError).localizedDescription)")
        }
        do {
            try self.init(pngData: data)
        } catch {
            throw ImagingError(path: path, error.message)
        }
    }

    private static func header(width: Int, height: Int, format: PixelFormat) -> png_image {
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        image.width = png_uint_32(width)
        image.height = png_uint_32(height)
        image.format = format == .rgb ? png_uint_32(PNG_FORMAT_RGB) : png_uint_32(PNG_FORMAT_GRAY)
        return image
    }

    /// libpng's message for the last failure on `image` (a NUL-terminated 64-byte field).
    static func message(of image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { bytes in
            let characters = bytes.prefix { $0 != 0 }
            return characters.isEmpty ? "unknown error" : String(decoding: characters, as: UTF8.self)
        }
    }
}
