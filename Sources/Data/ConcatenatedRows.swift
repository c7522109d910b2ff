/// One source's rows followed by another's (a training file and its separate validation file): nothing is copied.
public struct ConcatenatedRows: FeatureSource {
    public let first: any FeatureSource
    public let second: any FeatureSource
    public var rowCount: Int { first.rowCount + second.rowCount }
    public var width: Int { first.width }

    public init(_ first: any FeatureSource, _ second: any FeatureSource) {
        precondition(first.width == second.width, "rows of the same width")
        self.first = first
        self.second = second
    }

    public func copyRow(_ row: Int, into buffer: UnsafeMutablePointer<Float>) {
        if row < first.rowCount { first.copyRow(row, into: buffer) } else { second.copyRow(row - first.rowCount, into: buffer) }
    }
}
