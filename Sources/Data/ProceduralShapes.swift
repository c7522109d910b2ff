/// Binary 16 × 16 images of four shapes with known factors: shape (the label), size and position.
///
/// Every combination of shape (square, disc, triangle, cross), half-size 2…4 and centre (x, y) with the whole
/// shape inside the image: 4 × 3 × 8 × 8 = 768 images, no randomness. Gives the Bernoulli likelihood, the
/// conditional models and the pictures a real use.
public enum ProceduralShapes {
    public static let side = 16
    public static let shapes = ["square", "disc", "triangle", "cross"]
    public static let halfSizes = [2, 3, 4]
    public static let centres = Array(4...11)

    /// Whether pixel (x, y) is inside `shape` of half-size `r` centred at (cx, cy).
    public static func inside(_ shape: Int, x: Int, y: Int, cx: Int, cy: Int, r: Int) -> Bool {
        let dx = x - cx, dy = y - cy
        switch shape {
        case 0: return abs(dx) <= r && abs(dy) <= r
        case 1: return dx * dx + dy * dy <= r * r + r / 2
        case 2: return dy >= -r && dy <= r && abs(dx) * 2 <= (dy + r)  // apex up, base r below the centre
        default: return (abs(dx) <= r && abs(dy) <= r / 3) || (abs(dy) <= r && abs(dx) <= r / 3)
        }
    }

    public static func dataset() -> Dataset {
        var features: [Float] = []
        var labels: [Int32] = []
        for shape in shapes.indices {
            for r in halfSizes {
                for cy in centres {
                    for cx in centres {
                        for y in 0..<side {
                            for x in 0..<side { features.append(inside(shape, x: x, y: y, cx: cx, cy: cy, r: r) ? 1 : 0) }
                        }
                        labels.append(Int32(shape))
                    }
                }
            }
        }
        return Dataset(name: "shapes", count: labels.count, featureCount: side * side, features: features, labels: labels,
                       classCount: shapes.count, classNames: shapes, imageShape: (side, side))
    }
}
