import Foundation
import Testing
@testable import Data

@Suite("dSprites-style images")
struct SpriteImagesTests {
    let images32 = SpriteImages(resolution: 32)!, images64 = SpriteImages(resolution: 64)!

    /// Lit pixels of image `index` as (row, column).
    func lit(_ images: SpriteImages, _ index: Int) -> [(Int, Int)] {
        var buffer = [Float](repeating: -1, count: images.resolution * images.resolution)
        images.draw(index, into: &buffer)
        return buffer.indices.filter { buffer[$0] == 1 }.map { ($0 / images.resolution, $0 % images.resolution) }
    }

    @Test("the index is dSprites' mixed radix: bases 245760, 40960, 1024, 32, 1, and factors(of:) inverts it")
    func index() {
        // Bases are the reverse cumulative products of [3, 6, 40, 32, 32]: 6·40·32·32 = 245,760, 40·32·32 = 40,960, 32·32 = 1,024, 32, 1.
        #expect(SpriteImages.count == 737_280)
        #expect(SpriteImages.index(of: [1, 0, 0, 0, 0]) == 245_760)
        #expect(SpriteImages.index(of: [0, 1, 0, 0, 0]) == 40_960)
        #expect(SpriteImages.index(of: [0, 0, 1, 0, 0]) == 1_024)
        #expect(SpriteImages.index(of: [0, 0, 0, 1, 0]) == 32)
        #expect(SpriteImages.index(of: [0, 0, 0, 0, 1]) == 1)
        #expect(SpriteImages.index(of: [2, 5, 39, 31, 31]) == 737_279)
        for index in stride(from: 0, to: SpriteImages.count, by: 7_919) + [SpriteImages.count - 1] {
            #expect(SpriteImages.index(of: SpriteImages.factors(of: index)) == index)
        }
        #expect(SpriteImages.scale(5) == 1.0 && SpriteImages.orientation(39) == 2 * Double.pi && SpriteImages.position(31) == 1)
    }

    @Test("a square of scale 0.5 at x = y = 0 is the 4×4 block of rows and columns 6…9 at 32×32, by hand")
    func squareByHand() {
        // Centre 0.25, half-side 0.7·0.16·0.5 = 0.056: pixel centres (k + ½)/32 within 0.056 of 0.25 are k = 6 (0.203),
        // 7 (0.234), 8 (0.266), 9 (0.297); k = 5 (0.172) and 10 (0.328) are 0.078 away.
        let pixels = lit(images32, SpriteImages.index(of: [0, 0, 0, 0, 0]))
        #expect(pixels.count == 16)
        #expect(pixels.allSatisfy { (6...9).contains($0.0) && (6...9).contains($0.1) })
        // x moves columns, y rows: at x = 31 (centre 0.75) the block is at columns 22…25, rows unchanged.
        let moved = lit(images32, SpriteImages.index(of: [0, 0, 0, 31, 0]))
        #expect(moved.count == 16 && moved.allSatisfy { (6...9).contains($0.0) && (22...25).contains($0.1) })
    }

    @Test("the ellipse lies along x at orientation 0 and along y a quarter turn later; the heart points down")
    func orientation() {
        func extent(_ pixels: [(Int, Int)]) -> (rows: Int, columns: Int) {
            (pixels.map(\.0).max()! - pixels.map(\.0).min()! + 1, pixels.map(\.1).max()! - pixels.map(\.1).min()! + 1)
        }
        let flat = extent(lit(images64, SpriteImages.index(of: [1, 5, 0, 16, 16])))
        #expect(flat.columns > flat.rows * 3 / 2)
        // 2π·10/39 is close to a quarter turn (0.256 of a turn).
        let upright = extent(lit(images64, SpriteImages.index(of: [1, 5, 10, 16, 16])))
        #expect(upright.rows > upright.columns * 3 / 2)
        // The heart's lowest rows are its point: the bottom row has fewer lit pixels than the row a quarter from the top.
        let heart = lit(images64, SpriteImages.index(of: [2, 5, 0, 16, 16]))
        let top = heart.map(\.0).min()!, bottom = heart.map(\.0).max()!
        let width = { (row: Int) in heart.filter { $0.0 == row }.count }
        #expect(width(bottom) < width(top + (bottom - top) / 4))
    }

    @Test("every shape lies within its radius of its centre, so none is cut by the image's edge")
    func withinRadius() {
        for shape in 0..<3 {
            let placement = SpriteImages.Placement(shape: shape, centreX: 0, centreY: 0, radius: 1, cosine: 1, sine: 0)
            var inside = 0
            for i in -150...150 {
                for j in -150...150 {
                    let x = Double(j) / 120, y = Double(i) / 120
                    if SpriteImages.inside(placement, x: x, y: y) {
                        inside += 1
                        #expect(x * x + y * y <= 1, "shape \(shape) at (\(x), \(y))")
                    }
                }
            }
            #expect(inside > 10_000, "shape \(shape) has area")
        }
        // The largest shapes at the corners keep their full pixel count.
        for shape in 0..<3 {
            let middle = lit(images64, SpriteImages.index(of: [shape, 5, 7, 15, 15])).count
            let corner = lit(images64, SpriteImages.index(of: [shape, 5, 7, 0, 31])).count
            #expect(abs(middle - corner) <= middle / 10, "shape \(shape): \(middle) against \(corner) pixels")
        }
    }

    @Test("draw and pixel(_:of:) agree, and drawing is deterministic")
    func drawEqualsPixel() {
        for images in [images32, images64] {
            let side = images.resolution
            for index in stride(from: 3, to: SpriteImages.count, by: 45_007) {
                var buffer = [Float](repeating: 7, count: side * side)
                images.draw(index, into: &buffer)
                #expect(buffer == (0..<side * side).map { images.pixel($0, of: index) }, "image \(index)")
                var again = [Float](repeating: 0, count: side * side)
                images.draw(index, into: &again)
                #expect(again == buffer)
            }
        }
    }

    @Test("the data set: labels are the shape, a seeded subset is the same for the same seed, and batches are drawn images")
    func dataset() {
        let whole = images32.dataset()
        #expect(whole.count == 737_280 && whole.featureCount == 1_024 && whole.classNames == ["square", "ellipse", "heart"])
        #expect(whole.labels?[245_759] == 0 && whole.labels?[245_760] == 1 && whole.labels?[737_279] == 2)
        #expect(whole.isBinary && whole.maximumMagnitude == 1)
        let a = images32.dataset(subset: 500, seed: 3), b = images32.dataset(subset: 500, seed: 3), c = images32.dataset(subset: 500, seed: 4)
        #expect(a.count == 500 && a.fingerprint == b.fingerprint && a.fingerprint != c.fingerprint)
        guard let indices = (a.storage as? SpriteRows)?.indices else { Issue.record("not a subset"); return }
        #expect(indices == indices.sorted() && Set(indices).count == 500)
        var rows = [Float](repeating: 0, count: 2 * 1_024)
        a.storage.copyRows([0, 499], width: 1_024, into: &rows)
        var expected = [Float](repeating: 0, count: 1_024)
        images32.draw(Int(indices[499]), into: &expected)
        #expect(Array(rows[1_024...]) == expected)
        #expect(a.labels?[499] == Int32(Int(indices[499]) / 245_760))
        // A per-class subset keeps drawing the same images.
        let hearts = a.subset(labels: [2])!
        #expect(hearts.count == a.labels!.filter { $0 == 2 }.count && hearts.labels!.allSatisfy { $0 == 2 })
    }
}
