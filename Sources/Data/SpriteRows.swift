/// dSprites-style images drawn on demand (`data.source: "dsprites"`): row r is image `indices[r]`, or image r when
/// `indices` is nil (all 737,280). Nothing is stored but the indices of a subset.
public struct SpriteRows: FeatureSource {
    public let images: SpriteImages
    public let indices: [Int32]?
    public var rowCount: Int { indices?.count ?? SpriteImages.count }
    public var width: Int { images.resolution * images.resolution }

    public init(_ images: SpriteImages, indices: [Int32]?) {
        self.images = images
        self.indices = indices
    }

    /// The image index of row `row`.
    @inline(__always)
    public func imageIndex(_ row: Int) -> Int { indices.map { Int($0[row]) } ?? row }

    public func copyRow(_ row: Int, into buffer: UnsafeMutablePointer<Float>) { images.draw(imageIndex(row), into: buffer) }

    public func selecting(rows: [Int]) -> any FeatureSource { SpriteRows(images, indices: rows.map { Int32(imageIndex($0)) }) }

    /// Drawn from a written-down geometry: which images at which resolution is the whole content.
    public func fingerprint(_ mix: (UInt64) -> Void) {
        mix(UInt64(images.resolution))
        for index in indices ?? [] { mix(UInt64(UInt32(bitPattern: index))) }
    }

    /// Every pixel is 0 or 1, and both occur.
    public func allSatisfy(_ predicate: (Float) -> Bool) -> Bool { predicate(0) && predicate(1) }
    public var maximumMagnitude: Float { rowCount > 0 ? 1 : 0 }
}
