/// Where a data set's features come from: something that fills a batch by row index. Examples are rows of
/// `width` values; a source may hold them as floats, as bytes, in a memory-mapped file in the type it stores,
/// or draw them on demand from the index (dsprites). Scaling (`data.scale`) and standardisation
/// (`data.standardize`) are applied as rows are copied, so nothing the size of the data set is converted.
///
/// A new kind of source is one type conforming to this protocol: the training loop, evaluation and every scan
/// (standardisation, fingerprints, the likelihood's choice) read only `copyRows`. The defaults below scan every
/// row through it; sources that know better (bytes, drawn images) answer without a scan.
public protocol FeatureSource: Sendable {
    /// Examples.
    var rowCount: Int { get }
    /// Values per example.
    var width: Int { get }
    /// Copies row `row` into `buffer` as floats (`width` values). No allocation: it runs for every example of
    /// every batch.
    func copyRow(_ row: Int, into buffer: UnsafeMutablePointer<Float>)
    /// Copies rows `rows`, one after another, into `buffer` as floats (`rows.count × width` values). Runs once per
    /// batch: no allocation. Not generic over the collection of rows: a generic one is not specialised across
    /// modules, and its iteration allocated twice per row. Default: `copyRow` for each.
    func copyRows(_ rows: ArraySlice<Int>, into buffer: UnsafeMutablePointer<Float>)
    /// The rows `rows` (in that order) as a source of their own.
    func selecting(rows: [Int]) -> any FeatureSource
    /// Feeds what identifies the contents to `mix`, for `Dataset.fingerprint`. Default: every value's bits, in
    /// order (what every in-memory, mapped or standardised source of the same values gives alike).
    func fingerprint(_ mix: (UInt64) -> Void)
    /// Whether every value satisfies `predicate`.
    func allSatisfy(_ predicate: (Float) -> Bool) -> Bool
    /// The largest |value| (0 without values).
    var maximumMagnitude: Float { get }
}

extension FeatureSource {
    /// Values in all: rows × width.
    public var count: Int { rowCount * width }

    public func copyRows(_ rows: ArraySlice<Int>, into buffer: UnsafeMutablePointer<Float>) {
        for (offset, row) in rows.enumerated() { copyRow(row, into: buffer + offset * width) }
    }

    /// `copyRows` for callers that pass the width they expect (it must be this source's).
    @inline(__always)
    public func copyRows(_ rows: ArraySlice<Int>, width: Int, into buffer: UnsafeMutablePointer<Float>) {
        precondition(width == self.width, "rows of \(self.width) values, not \(width)")
        copyRows(rows, into: buffer)
    }

    /// Reads `rows` in order a block at a time (about 64 K values) for a scan over many examples: `body` gets
    /// each block's first value and its number of rows, `width` values each, and returns false to stop. Data drawn
    /// on demand (dsprites) draws each image once.
    public func forEachBlock(of rows: [Int], width: Int? = nil, _ body: (UnsafePointer<Float>, Int) -> Bool) {
        precondition(width == nil || width == self.width, "rows of \(self.width) values")
        guard !rows.isEmpty, self.width > 0 else { return }
        let block = max(1, min(rows.count, (1 << 16) / self.width))
        var values = [Float](repeating: 0, count: block * self.width)
        values.withUnsafeMutableBufferPointer { buffer in
            var start = 0
            while start < rows.count {
                let end = min(rows.count, start + block)
                copyRows(rows[start..<end], into: buffer.baseAddress!)
                guard body(buffer.baseAddress!, end - start) else { return }
                start = end
            }
        }
    }

    /// Every value, a block at a time: `body` gets a block of whole rows and returns false to stop.
    public func forEachValueBlock(_ body: (UnsafeBufferPointer<Float>) -> Bool) {
        forEachBlock(of: Array(0..<rowCount)) { values, rows in body(UnsafeBufferPointer(start: values, count: rows * width)) }
    }

    /// The value at flat index `index` (row index / width, column index % width): one row copied, for tests and
    /// small reads.
    public subscript(index: Int) -> Float {
        var row = [Float](repeating: 0, count: width)
        row.withUnsafeMutableBufferPointer { copyRow(index / width, into: $0.baseAddress!) }
        return row[index % width]
    }

    /// Every value as floats, row-major (a copy: for small data and tests; training copies batches).
    public var values: [Float] {
        var result = [Float](repeating: 0, count: count)
        guard rowCount > 0, width > 0 else { return result }
        result.withUnsafeMutableBufferPointer { copyRows(Array(0..<rowCount)[...], into: $0.baseAddress!) }
        return result
    }

    public func fingerprint(_ mix: (UInt64) -> Void) {
        forEachValueBlock { block in
            for value in block { mix(UInt64(value.bitPattern)) }
            return true
        }
    }

    public func allSatisfy(_ predicate: (Float) -> Bool) -> Bool {
        var result = true
        forEachValueBlock { block in
            result = block.allSatisfy(predicate)
            return result
        }
        return result
    }

    public var maximumMagnitude: Float {
        var largest: Float = 0
        forEachValueBlock { block in
            for value in block { largest = Swift.max(largest, abs(value)) }
            return true
        }
        return largest
    }

    public func selecting(rows: [Int]) -> any FeatureSource { SelectedRows(base: self, rows: rows) }
}
