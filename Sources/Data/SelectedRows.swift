/// Some rows of another source, in a given order (a class's share of a mapped file): nothing is copied.
public struct SelectedRows: FeatureSource {
    public let base: any FeatureSource
    /// Rows of `base`, one per example.
    public let rows: [Int]
    public var rowCount: Int { rows.count }
    public var width: Int { base.width }

    public init(base: any FeatureSource, rows: [Int]) {
        precondition(rows.allSatisfy { $0 >= 0 && $0 < base.rowCount }, "rows of the base source")
        self.base = base
        self.rows = rows
    }

    public func copyRow(_ row: Int, into buffer: UnsafeMutablePointer<Float>) { base.copyRow(rows[row], into: buffer) }

    public func selecting(rows wanted: [Int]) -> any FeatureSource { SelectedRows(base: base, rows: wanted.map { rows[$0] }) }
}
