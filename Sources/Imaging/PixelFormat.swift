/// How a pixel is stored: one 8-bit gray level, or 8-bit red, green and blue interleaved.
public enum PixelFormat: String, Sendable, Equatable, CaseIterable {
    case grayscale
    case rgb

    /// Values per pixel: 1 or 3.
    public var channels: Int {
        switch self {
        case .grayscale: 1
        case .rgb: 3
        }
    }
}
