/// Examples held in memory as single-precision values, row-major (CSV, small arrays, built-in sets).
public struct FloatRows: FeatureSource {
    public let storedValues: [Float]
    public let rowCount: Int
    public let width: Int

    public init(_ values: [Float], width: Int) {
        precondition(width > 0 ? values.count % width == 0 : values.isEmpty, "rows of \(width) values")
        storedValues = values
        self.width = width
        rowCount = width > 0 ? values.count / width : 0
    }

    public func copyRow(_ row: Int, into buffer: UnsafeMutablePointer<Float>) {
        storedValues.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress! + row * width, count: width) }
    }

    public func copyRows(_ rows: ArraySlice<Int>, into buffer: UnsafeMutablePointer<Float>) {
        storedValues.withUnsafeBufferPointer { source in
            for (offset, row) in rows.enumerated() {
                (buffer + offset * width).update(from: source.baseAddress! + row * width, count: width)
            }
        }
    }

    public func selecting(rows: [Int]) -> any FeatureSource {
        FloatRows(rows.flatMap { storedValues[($0 * width)..<(($0 + 1) * width)] }, width: width)
    }

    public var values: [Float] { storedValues }
    public func fingerprint(_ mix: (UInt64) -> Void) { for value in storedValues { mix(UInt64(value.bitPattern)) } }
    public func allSatisfy(_ predicate: (Float) -> Bool) -> Bool { storedValues.allSatisfy(predicate) }
    public var maximumMagnitude: Float { storedValues.reduce(0) { Swift.max($0, abs($1)) } }
}
