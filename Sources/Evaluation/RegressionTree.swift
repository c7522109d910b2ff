/// A fitted regression tree of a gradient-boosting stage: nodes in an array, children by index, each leaf's
/// value set after growth by the boosting loss's Newton step.
struct RegressionTree: Sendable {
    /// The feature a node splits on (−1 for a leaf).
    var feature: [Int] = []
    /// Examples whose feature value is ≤ the threshold go left.
    var threshold: [Double] = []
    var left: [Int] = []
    var right: [Int] = []
    /// A leaf's value (the boosting update before the learning rate); 0 for inner nodes.
    var value: [Double] = []
    /// Σ over this tree's splits of n·impurity − n_left·impurity_left − n_right·impurity_right, divided by the
    /// root's n (scikit-learn's `compute_feature_importances(normalize=False)`), per feature.
    var importances: [Double] = []

    var nodeCount: Int { feature.count }

    mutating func addNode() -> Int {
        feature.append(-1)
        threshold.append(0)
        left.append(-1)
        right.append(-1)
        value.append(0)
        return feature.count - 1
    }

    /// The leaf that a row of single-precision `features` (as the tree was grown on) falls in.
    func leaf(_ features: UnsafeBufferPointer<Float>) -> Int {
        var node = 0
        while feature[node] >= 0 {
            node = Double(features[feature[node]]) <= threshold[node] ? left[node] : right[node]
        }
        return node
    }
}

/// Grows depth-limited regression trees on one data set, to scikit-learn's `DecisionTreeRegressor` with
/// `criterion="friedman_mse"`, `splitter="best"`, `min_samples_leaf=1`, unit sample weights: exact splits
/// (every boundary between consecutive distinct values of every feature is tried), found level by level
/// over each feature's examples sorted once at the start (`sortedRows`), so a level costs one pass per
/// feature whatever the number of nodes.
///
/// Split choice (Friedman 2001, eq. 35; scikit-learn `FriedmanMSE.proxy_impurity_improvement`): the split
/// maximising (n_R·Σ_L − n_L·Σ_R)² / (n_L·n_R) over the node's residuals; a boundary is a candidate only
/// where the next value exceeds the previous by more than 10⁻⁷, and its threshold is the midpoint a/2 + b/2
/// (a when that rounds to b). A node is a leaf at the maximum depth, with fewer than `minimumSplitSize`
/// examples, with impurity (the residuals' variance E[r²] − E[r]²) ≤ 2⁻⁵², or when no candidate exists.
/// Ties: the first feature in index order, then the smallest threshold (scikit-learn visits the features in
/// a random order, so its choice among exactly equal improvements differs).
struct RegressionTreeGrower {
    let rows: Int
    let columns: Int
    /// Column-major single-precision features (feature f of row i at f·rows + i), as scikit-learn's trees use.
    let columnValues: [Float]
    /// Row-major single-precision features, for prediction.
    let rowValues: [Float]
    /// For each feature, the rows in increasing order of its value.
    let sortedRows: [[Int32]]
    /// For each feature, its values in that order (read sequentially by the split search).
    let sortedValues: [[Float]]
    let maximumDepth: Int
    let minimumSplitSize: Int

    init(rowMajor features: [Double], rows: Int, columns: Int, maximumDepth: Int, minimumSplitSize: Int) {
        self.rows = rows
        self.columns = columns
        let single = features.map { Float($0) }
        rowValues = single
        var byColumn = [Float](repeating: 0, count: rows * columns)
        for i in 0..<rows { for f in 0..<columns { byColumn[f * rows + i] = single[i * columns + f] } }
        columnValues = byColumn
        let orders = (0..<columns).map { f in
            (0..<rows).map { Int32($0) }.sorted { a, b in
                let x = byColumn[f * rows + Int(a)], y = byColumn[f * rows + Int(b)]
                return x < y || (x == y && a < b)
            }
        }
        sortedRows = orders
        sortedValues = (0..<columns).map { f in orders[f].map { byColumn[f * rows + Int($0)] } }
        self.maximumDepth = maximumDepth
        self.minimumSplitSize = minimumSplitSize
    }

    /// A tree grown on `residuals` (one per row); `leafOfRow` receives each row's leaf. Leaf values are left 0.
    func grow(residuals: [Double], leafOfRow: inout [Int]) -> RegressionTree {
        var tree = RegressionTree()
        tree.importances = [Double](repeating: 0, count: columns)
        let epsilon = Double.ulpOfOne
        // The current level's open nodes: tree index, count, Σr, Σr².
        struct Open { var node: Int; var count: Int; var sum: Double; var squares: Double }
        var levelOf = [Int](repeating: 0, count: rows)  // position in `open`, −1 when the row's node is closed
        var rootSum = 0.0, rootSquares = 0.0
        for r in residuals { rootSum += r; rootSquares += r * r }
        var open = [Open(node: tree.addNode(), count: rows, sum: rootSum, squares: rootSquares)]
        for i in 0..<rows { leafOfRow[i] = 0 }
        func impurity(_ o: Open) -> Double {
            let n = Double(o.count)
            let mean = o.sum / n
            return o.squares / n - mean * mean
        }
        var depth = 0
        var bestProxy = [Double](), bestFeature = [Int](), bestThreshold = [Double]()
        var splittable = [Bool]()
        while !open.isEmpty {
            let m = open.count
            splittable = open.map { depth < maximumDepth && $0.count >= minimumSplitSize && $0.count >= 2 && impurity($0) > epsilon }
            if !splittable.contains(true) { break }
            bestProxy = [Double](repeating: -.infinity, count: m)
            bestFeature = [Int](repeating: -1, count: m)
            bestThreshold = [Double](repeating: 0, count: m)
            let counts = open.map(\.count), sums = open.map(\.sum)
            for f in 0..<columns {
                Self.scan(feature: f, rows: rows, order: sortedRows[f], values: sortedValues[f], residuals: residuals, level: levelOf,
                          counts: counts, sums: sums, splittable: splittable,
                          bestProxy: &bestProxy, bestFeature: &bestFeature, bestThreshold: &bestThreshold)
            }
            // Children of the nodes that split; rows of the others are closed.
            var next = [Open]()
            var childPosition = [Int](repeating: -1, count: 2 * m)
            for j in 0..<m where splittable[j] && bestFeature[j] >= 0 {
                let node = open[j].node
                tree.feature[node] = bestFeature[j]
                tree.threshold[node] = bestThreshold[j]
                let leftNode = tree.addNode(), rightNode = tree.addNode()
                tree.left[node] = leftNode
                tree.right[node] = rightNode
                childPosition[2 * j] = next.count
                next.append(Open(node: leftNode, count: 0, sum: 0, squares: 0))
                childPosition[2 * j + 1] = next.count
                next.append(Open(node: rightNode, count: 0, sum: 0, squares: 0))
            }
            for i in 0..<rows {
                let j = levelOf[i]
                if j < 0 { continue }
                let f = bestFeature[j]
                if !splittable[j] || f < 0 { levelOf[i] = -1; continue }
                let goesLeft = Double(columnValues[f * rows + i]) <= bestThreshold[j]
                let child = childPosition[2 * j + (goesLeft ? 0 : 1)]
                levelOf[i] = child
                next[child].count += 1
                next[child].sum += residuals[i]
                next[child].squares += residuals[i] * residuals[i]
                leafOfRow[i] = next[child].node
            }
            for j in 0..<m where splittable[j] && bestFeature[j] >= 0 {
                let l = next[childPosition[2 * j]], r = next[childPosition[2 * j + 1]]
                let decrease = Double(open[j].count) * impurity(open[j]) - Double(l.count) * impurity(l) - Double(r.count) * impurity(r)
                tree.importances[bestFeature[j]] += decrease
            }
            open = next
            depth += 1
        }
        for f in 0..<columns { tree.importances[f] /= Double(rows) }
        return tree
    }

    /// One pass over feature `f`'s rows in increasing order (`values` its values in that order): for every open node, each boundary between
    /// consecutive distinct values is scored, and a better one than the node's best so far replaces it.
    static func scan(feature f: Int, rows: Int, order: [Int32], values: [Float], residuals: [Double], level: [Int],
                     counts: [Int], sums: [Double], splittable: [Bool],
                     bestProxy: inout [Double], bestFeature: inout [Int], bestThreshold: inout [Double]) {
        let m = counts.count
        var leftCount = [Int](repeating: 0, count: m)
        var leftSum = [Double](repeating: 0, count: m)
        var lastValue = [Float](repeating: 0, count: m)
        order.withUnsafeBufferPointer { order in
        values.withUnsafeBufferPointer { x in
        residuals.withUnsafeBufferPointer { r in
        level.withUnsafeBufferPointer { level in
        counts.withUnsafeBufferPointer { counts in
        sums.withUnsafeBufferPointer { sums in
        splittable.withUnsafeBufferPointer { splittable in
        leftCount.withUnsafeMutableBufferPointer { leftCount in
        leftSum.withUnsafeMutableBufferPointer { leftSum in
        lastValue.withUnsafeMutableBufferPointer { lastValue in
        bestProxy.withUnsafeMutableBufferPointer { bestProxy in
        bestFeature.withUnsafeMutableBufferPointer { bestFeature in
        bestThreshold.withUnsafeMutableBufferPointer { bestThreshold in
            for position in 0..<rows {
                let i = Int(order[position])
                let j = level[i]
                if j < 0 || !splittable[j] { continue }
                let value = x[position]
                let nLeft = leftCount[j]
                if nLeft > 0 && Double(value) > Double(lastValue[j]) + 1e-7 {
                    let nRight = counts[j] - nLeft
                    let sumLeft = leftSum[j], sumRight = sums[j] - sumLeft
                    let difference = Double(nRight) * sumLeft - Double(nLeft) * sumRight
                    let proxy = difference * difference / (Double(nLeft) * Double(nRight))
                    if proxy > bestProxy[j] {
                        bestProxy[j] = proxy
                        bestFeature[j] = f
                        let previous = Double(lastValue[j]), next = Double(value)
                        var threshold = previous / 2 + next / 2
                        if threshold == next || !threshold.isFinite { threshold = previous }
                        bestThreshold[j] = threshold
                    }
                }
                leftCount[j] = nLeft + 1
                leftSum[j] += r[i]
                lastValue[j] = value
            }
        } } } } } } } } } } } } }
    }
}
