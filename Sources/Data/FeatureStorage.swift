/// How a data set keeps its features in memory: single-precision values, or bytes with a scale (binary data and
/// 8-bit images at a quarter of the memory), expanded to floats one batch at a time.
public enum FeatureStorage: Sendable {
    case float32([Float])
    /// Value = byte × scale.
    case uint8([UInt8], scale: Float)
    /// dSprites-style images drawn on demand: row r is image `indices[r]` (or image r when `indices` is nil).
    case sprites(SpriteImages, indices: [Int32]?)

    public var count: Int {
        switch self {
        case .float32(let values): return values.count
        case .uint8(let bytes, _): return bytes.count
        case .sprites(let images, let indices): return (indices?.count ?? SpriteImages.count) * images.resolution * images.resolution
        }
    }

    /// The value at flat index `index`.
    @inline(__always)
    public subscript(index: Int) -> Float {
        switch self {
        case .float32(let values): return values[index]
        case .uint8(let bytes, let scale): return Float(bytes[index]) * scale
        case .sprites(let images, let indices):
            let pixels = images.resolution * images.resolution, row = index / pixels
            return images.pixel(index % pixels, of: indices.map { Int($0[row]) } ?? row)
        }
    }

    /// Copies rows `rows` (each `width` wide) into `buffer`, one after another, as floats. Not generic over the
    /// collection of rows: a generic one is not specialised across modules, and its iteration allocated twice per
    /// row (two thirds of the training step's heap allocations).
    public func copyRows(_ rows: ArraySlice<Int>, width: Int, into buffer: UnsafeMutablePointer<Float>) {
        switch self {
        case .float32(let values):
            values.withUnsafeBufferPointer { source in
                for (offset, row) in rows.enumerated() {
                    (buffer + offset * width).update(from: source.baseAddress! + row * width, count: width)
                }
            }
        case .uint8(let bytes, let scale):
            bytes.withUnsafeBufferPointer { source in
                for (offset, row) in rows.enumerated() {
                    let from = source.baseAddress! + row * width, to = buffer + offset * width
                    if scale == 1 {
                        for j in 0..<width { to[j] = Float(from[j]) }
                    } else {
                        for j in 0..<width { to[j] = Float(from[j]) * scale }
                    }
                }
            }
        case .sprites(let images, let indices):
            let pixels = images.resolution * images.resolution
            for (offset, row) in rows.enumerated() {
                images.draw(indices.map { Int($0[row]) } ?? row, into: buffer + offset * pixels)
            }
        }
    }

    /// Reads `rows` in order a block at a time (about 64 K values) for a scan over many examples: `body` gets
    /// each block's first value and its number of rows, `width` values each, and returns false to stop. Data drawn
    /// on demand (dsprites) draws each image once.
    public func forEachBlock(of rows: [Int], width: Int, _ body: (UnsafePointer<Float>, Int) -> Bool) {
        guard !rows.isEmpty else { return }
        let block = max(1, min(rows.count, (1 << 16) / max(1, width)))
        var values = [Float](repeating: 0, count: block * width)
        values.withUnsafeMutableBufferPointer { buffer in
            var start = 0
            while start < rows.count {
                let end = min(rows.count, start + block)
                copyRows(rows[start..<end], width: width, into: buffer.baseAddress!)
                guard body(buffer.baseAddress!, end - start) else { return }
                start = end
            }
        }
    }

    /// Whether every value satisfies `predicate`.
    public func allSatisfy(_ predicate: (Float) -> Bool) -> Bool {
        switch self {
        case .sprites: return predicate(0) && predicate(1)
        case .float32(let values):
            return values.allSatisfy(predicate)
        case .uint8(let bytes, let scale):
            // 256 possible bytes: test each value that occurs once.
            var seen = [Bool](repeating: false, count: 256)
            for byte in bytes { seen[Int(byte)] = true }
            return seen.indices.allSatisfy { !seen[$0] || predicate(Float($0) * scale) }
        }
    }
}
