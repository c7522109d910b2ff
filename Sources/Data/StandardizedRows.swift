/// Another source's rows standardised as they are copied (`data.standardize`): x′_j = (x_j − μ_j)/σ_j with the
/// training examples' statistics (`FeatureStandardization`), so a mapped file is never converted whole.
public struct StandardizedRows: FeatureSource {
    public let base: any FeatureSource
    public let standardization: FeatureStandardization
    public var rowCount: Int { base.rowCount }
    public var width: Int { base.width }

    public init(base: any FeatureSource, standardization: FeatureStandardization) {
        precondition(base.width == standardization.mean.count, "one mean per feature")
        self.base = base
        self.standardization = standardization
    }

    public func copyRow(_ row: Int, into buffer: UnsafeMutablePointer<Float>) {
        base.copyRow(row, into: buffer)
        standardize(buffer, rows: 1)
    }

    public func copyRows(_ rows: ArraySlice<Int>, into buffer: UnsafeMutablePointer<Float>) {
        base.copyRows(rows, into: buffer)
        standardize(buffer, rows: rows.count)
    }

    private func standardize(_ buffer: UnsafeMutablePointer<Float>, rows: Int) {
        standardization.mean.withUnsafeBufferPointer { mean in
            standardization.standardDeviation.withUnsafeBufferPointer { deviation in
                for row in 0..<rows {
                    let values = buffer + row * width
                    for j in 0..<width { values[j] = (values[j] - mean[j]) / deviation[j] }
                }
            }
        }
    }

    public func selecting(rows: [Int]) -> any FeatureSource {
        StandardizedRows(base: base.selecting(rows: rows), standardization: standardization)
    }
}
