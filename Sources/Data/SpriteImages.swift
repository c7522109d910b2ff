import Foundation

/// A dSprites-style data set (after Matthey et al. 2017's dSprites; drawn here from a written-down geometry, not the
/// original file): binary images of one white shape on black, every combination of five factors exactly once,
/// each image drawn on demand from its index and never stored (737,280 images are 3 GB as bytes at 64×64).
///
/// Factors, in index order (the last varies fastest; index = Σ factorᵢ · Πⱼ₍ⱼ>ᵢ₎ sizeⱼ, dSprites' mixed radix):
/// shape 3 (square, ellipse, heart), scale 6 (0.5, 0.6, …, 1.0), orientation 40 (2π·k/39, k = 0…39: 0 and 2π
/// both, as dSprites' `linspace(0, 2π, 40)`), position x 32 and position y 32 (k/31).
///
/// Geometry, in the unit square with y pointing down: pixel (row i, column j) of an R×R image is the point
/// ((j + ½)/R, (i + ½)/R) and is 1 exactly when that point is inside the shape (no anti-aliasing). The shape's
/// centre is (0.25 + 0.5·x, 0.25 + 0.5·y) and its radius r = 0.16·scale; a point p is taken into the shape's frame
/// by d = (pₓ − cₓ, c_y − p_y) (y up), rotated by −θ (the shape turns anticlockwise as θ grows), and divided by r:
/// (u, v). Then the square is max(|u|, |v|) ≤ 0.7, the ellipse u² + (v/0.5)² ≤ 1 (its long axis along u), and the
/// heart (X² + Y² − 1)³ − X²·Y³ ≤ 0 with X = 1.3·u, Y = 1.3·v + 0.25 (pointing down at θ = 0; its farthest point is 0.96 from the centre). Every shape
/// lies within distance r of its centre, so none is ever cut by the image's edge.
public struct SpriteImages: Sendable, Hashable {
    public static let factorNames = ["shape", "scale", "orientation", "position_x", "position_y"]
    public static let factorSizes = [3, 6, 40, 32, 32]
    public static let shapeNames = ["square", "ellipse", "heart"]
    /// 737,280.
    public static let count = factorSizes.reduce(1, *)
    public static let resolutions = [64, 32]

    /// Image side in pixels (64 or 32).
    public let resolution: Int

    public init?(resolution: Int) {
        guard Self.resolutions.contains(resolution) else { return nil }
        self.resolution = resolution
    }

    /// Factor `position`'s index in image `index` (its digit in the mixed radix).
    public static func factor(_ position: Int, of index: Int) -> Int {
        var rest = index
        for later in stride(from: factorSizes.count - 1, to: position, by: -1) { rest /= factorSizes[later] }
        return rest % factorSizes[position]
    }

    /// The factor indices of image `index` (shape, scale, orientation, x, y).
    public static func factors(of index: Int) -> [Int] { factorSizes.indices.map { factor($0, of: index) } }

    /// The image with these factor indices.
    public static func index(of factors: [Int]) -> Int {
        zip(factors, factorSizes).reduce(0) { $0 * $1.1 + $1.0 }
    }

    /// The factor values: scale 0.5 + 0.1·k, orientation 2π·k/39, positions k/31.
    public static func scale(_ k: Int) -> Double { 0.5 + 0.1 * Double(k) }
    public static func orientation(_ k: Int) -> Double { 2 * Double.pi * Double(k) / 39 }
    public static func position(_ k: Int) -> Double { Double(k) / 31 }

    /// Everything a pixel test needs for one image.
    struct Placement {
        var shape: Int
        var centreX, centreY, radius, cosine, sine: Double
    }

    /// cos and sin of the 40 orientations, computed once.
    static let rotations: [(cosine: Double, sine: Double)] = (0..<40).map { (cos(orientation($0)), sin(orientation($0))) }

    static func placement(of index: Int) -> Placement {
        let rotation = rotations[factor(2, of: index)]
        return Placement(shape: factor(0, of: index), centreX: 0.25 + 0.5 * position(factor(3, of: index)), centreY: 0.25 + 0.5 * position(factor(4, of: index)),
                         radius: 0.16 * scale(factor(1, of: index)), cosine: rotation.cosine, sine: rotation.sine)
    }

    /// Whether the point (x, y) of the unit square (y down) is inside the placed shape.
    @inline(__always)
    static func inside(_ p: Placement, x: Double, y: Double) -> Bool {
        let dx = x - p.centreX, dy = p.centreY - y
        let u = (dx * p.cosine + dy * p.sine) / p.radius
        let v = (-dx * p.sine + dy * p.cosine) / p.radius
        switch p.shape {
        case 0: return max(abs(u), abs(v)) <= 0.7
        case 1: return u * u + 4 * v * v <= 1
        default:
            let X = 1.3 * u, Y = 1.3 * v + 0.25
            let a = X * X + Y * Y - 1
            return a * a * a - X * X * Y * Y * Y <= 0
        }
    }

    /// Pixel `pixel` (row-major) of image `index`: 0 or 1.
    public func pixel(_ pixel: Int, of index: Int) -> Float {
        let row = pixel / resolution, column = pixel % resolution
        let side = Double(resolution)
        return Self.inside(Self.placement(of: index), x: (Double(column) + 0.5) / side, y: (Double(row) + 0.5) / side) ? 1 : 0
    }

    /// Draws image `index` into `buffer` (resolution² floats, row-major): only the pixels whose centres lie within
    /// the shape's radius of its centre are tested; the rest are 0.
    public func draw(_ index: Int, into buffer: UnsafeMutablePointer<Float>) {
        let p = Self.placement(of: index)
        let side = Double(resolution)
        buffer.update(repeating: 0, count: resolution * resolution)
        // Pixel centres (k + ½)/R within [c − r, c + r]: k from ⌈(c − r)·R − ½⌉ to ⌊(c + r)·R − ½⌋, clamped.
        func span(_ centre: Double) -> ClosedRange<Int>? {
            let low = max(0, Int(((centre - p.radius) * side - 0.5).rounded(.up)))
            let high = min(resolution - 1, Int(((centre + p.radius) * side - 0.5).rounded(.down)))
            return low <= high ? low...high : nil
        }
        guard let rows = span(p.centreY), let columns = span(p.centreX) else { return }
        for row in rows {
            let y = (Double(row) + 0.5) / side
            for column in columns where Self.inside(p, x: (Double(column) + 0.5) / side, y: y) {
                buffer[row * resolution + column] = 1
            }
        }
    }
}
