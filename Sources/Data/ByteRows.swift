/// Examples held in memory as bytes (binary data, 8-bit images decoded from PNG files: a quarter of float32's
/// memory), expanded to floats one batch at a time: value = Float(byte) / divisor, the same single-precision
/// division a file of these bytes read as floats gets from `data.scale`.
public struct ByteRows: FeatureSource {
    public let bytes: [UInt8]
    public let divisor: Float
    public let rowCount: Int
    public let width: Int

    public init(_ bytes: [UInt8], width: Int, divisor: Float = 1) {
        precondition(width > 0 && bytes.count % width == 0, "rows of \(width) values")
        self.bytes = bytes
        self.divisor = divisor
        self.width = width
        rowCount = bytes.count / width
    }

    public func copyRow(_ row: Int, into buffer: UnsafeMutablePointer<Float>) {
        bytes.withUnsafeBufferPointer { source in
            let from = source.baseAddress! + row * width
            if divisor == 1 {
                for j in 0..<width { buffer[j] = Float(from[j]) }
            } else {
                for j in 0..<width { buffer[j] = Float(from[j]) / divisor }
            }
        }
    }

    public func copyRows(_ rows: ArraySlice<Int>, into buffer: UnsafeMutablePointer<Float>) {
        for (offset, row) in rows.enumerated() { copyRow(row, into: buffer + offset * width) }
    }

    public func selecting(rows: [Int]) -> any FeatureSource {
        ByteRows(rows.flatMap { bytes[($0 * width)..<(($0 + 1) * width)] }, width: width, divisor: divisor)
    }

    /// 256 possible bytes: each value that occurs is tested once.
    public func allSatisfy(_ predicate: (Float) -> Bool) -> Bool {
        var seen = [Bool](repeating: false, count: 256)
        for byte in bytes { seen[Int(byte)] = true }
        return seen.indices.allSatisfy { !seen[$0] || predicate(Float($0) / divisor) }
    }

    public var maximumMagnitude: Float { Float(bytes.max() ?? 0) / abs(divisor) }
}
