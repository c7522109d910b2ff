import Tensors

/// Pairwise dot products and Euclidean distances between the rows of two matrices, one block of rows at a
/// time, through BLAS GEMM: memory stays bounded (one block of at most `maximumBlockElements` doubles, or one
/// row when a row alone is longer) whatever the set sizes.
///
/// Distances use ‖x − y‖² = ‖x‖² + ‖y‖² − 2x·y with x·y from GEMM, added in scikit-learn's order
/// (−2x·y + ‖x‖², then + ‖y‖²) and clamped at 0. That form loses digits to cancellation when two points are
/// close compared with their norms, so (1) callers centre both sets on one common vector first (distances do
/// not change, the norms shrink), and (2) a pair whose squared distance comes out below
/// `recomputeFraction`·(‖x‖² + ‖y‖²) is recomputed directly as Σ(x − y)²: duplicates are then exactly 0
/// apart, and every other distance keeps about 11 significant digits or more.
enum PairwiseBlocks {
    /// Doubles in one block: 2²¹ = 16 MiB.
    static let maximumBlockElements = 1 << 21
    /// Below this share of ‖x‖² + ‖y‖², a squared distance is recomputed from the differences.
    static let recomputeFraction = 1e-3

    static func rowsPerBlock(otherRows: Int, maximumElements: Int = maximumBlockElements) -> Int {
        max(1, maximumElements / max(1, otherRows))
    }

    /// Calls `body(firstRow, rowCount, block)` for consecutive blocks of `x`'s rows, with
    /// `block[r·y.rows + j] = x[firstRow + r] · y[j]`.
    static func forEachDotProductBlock(
        _ x: FeatureMatrix, _ y: FeatureMatrix, maximumElements: Int = maximumBlockElements,
        _ body: (_ firstRow: Int, _ rowCount: Int, _ block: UnsafeMutableBufferPointer<Double>) throws -> Void
    ) rethrows {
        precondition(x.columns == y.columns)
        guard x.rows > 0, y.rows > 0 else { return }
        let blockRows = min(x.rows, rowsPerBlock(otherRows: y.rows, maximumElements: maximumElements))
        var block = [Double](repeating: 0, count: blockRows * y.rows)
        try x.values.withUnsafeBufferPointer { xp in
            try y.values.withUnsafeBufferPointer { yp in
                try block.withUnsafeMutableBufferPointer { bp in
                    var start = 0
                    while start < x.rows {
                        let count = min(blockRows, x.rows - start)
                        if x.columns == 0 {
                            for i in 0..<(count * y.rows) { bp[i] = 0 }
                        } else {
                            Double.gemm(transposeA: false, transposeB: true, m: count, n: y.rows, k: x.columns, alpha: 1,
                                        a: xp.baseAddress! + start * x.columns, lda: x.columns,
                                        b: yp.baseAddress!, ldb: y.columns, beta: 0, c: bp.baseAddress!, ldc: y.rows)
                        }
                        try body(start, count, UnsafeMutableBufferPointer(rebasing: bp[0..<(count * y.rows)]))
                        start += count
                    }
                }
            }
        }
    }

    /// Calls `body(firstRow, rowCount, block)` for consecutive blocks of `x`'s rows, with
    /// `block[r·y.rows + j] = ‖x[firstRow + r] − y[j]‖` (squared when `squared`). When `sameSet`, `y` is `x`
    /// and the diagonal is exactly 0.
    static func forEachDistanceBlock(
        _ x: FeatureMatrix, _ y: FeatureMatrix, squared: Bool, sameSet: Bool = false,
        maximumElements: Int = maximumBlockElements,
        _ body: (_ firstRow: Int, _ rowCount: Int, _ block: UnsafeMutableBufferPointer<Double>) throws -> Void
    ) rethrows {
        let xNorms = x.squaredNorms()
        let yNorms = sameSet ? xNorms : y.squaredNorms()
        let width = x.columns, n = y.rows
        try x.values.withUnsafeBufferPointer { xp in
            try y.values.withUnsafeBufferPointer { yp in
                try yNorms.withUnsafeBufferPointer { yNorm in
                    try forEachDotProductBlock(x, y, maximumElements: maximumElements) { start, count, block in
                        for r in 0..<count {
                            let i = start + r
                            let xNorm = xNorms[i]
                            let row = block.baseAddress! + r * n
                            // One branch-free pass (vectorisable), then the rare close pairs, then the roots.
                            var close = 0
                            for j in 0..<n {
                                var distance = -2 * row[j]
                                distance += xNorm
                                distance += yNorm[j]
                                row[j] = distance
                                close &+= distance < recomputeFraction * (xNorm + yNorm[j]) ? 1 : 0
                            }
                            if close > 0 {
                                // The expanded form has cancelled (a negative value always lands here): sum the differences.
                                let a = xp.baseAddress! + i * width
                                for j in 0..<n where row[j] < recomputeFraction * (xNorm + yNorm[j]) {
                                    let b = yp.baseAddress! + j * width
                                    var sum = 0.0
                                    for c in 0..<width {
                                        let difference = a[c] - b[c]
                                        sum += difference * difference
                                    }
                                    row[j] = sum
                                }
                            }
                            if sameSet { row[i] = 0 }
                            if !squared {
                                for j in 0..<n { row[j] = row[j].squareRoot() }
                            }
                        }
                        try body(start, count, block)
                    }
                }
            }
        }
    }
}
