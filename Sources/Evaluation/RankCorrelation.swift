/// Spearman's rank correlation: the Pearson correlation of the ranks, ties given their average rank
/// (scipy.stats.spearmanr's default). Used for the radial correlation (latent radius against difficulty).
public enum RankCorrelation {
    /// ρ of `x` and `y` (same length ≥ 2), or nil when either is constant (no ranking to correlate).
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double? {
        precondition(x.count == y.count, "one y per x")
        guard x.count >= 2 else { return nil }
        return pearson(ranks(x), ranks(y))
    }

    /// ρ of `x` and a `y` given by its ranks (`ranks(y)`, computed once when y does not change between calls,
    /// as the difficulty of the per-epoch radial correlation).
    public static func spearman(_ x: [Double], ranksOfY: [Double]) -> Double? {
        precondition(x.count == ranksOfY.count, "one y per x")
        guard x.count >= 2 else { return nil }
        return pearson(ranks(x), ranksOfY)
    }

    /// Pearson's correlation of two rank vectors, nil when either is constant.
    static func pearson(_ rx: [Double], _ ry: [Double]) -> Double? {
        let n = Double(rx.count)
        let mx = rx.reduce(0, +) / n, my = ry.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in rx.indices {
            let dx = rx[i] - mx, dy = ry[i] - my
            sxy += dx * dy
            sxx += dx * dx
            syy += dy * dy
        }
        guard sxx > 0, syy > 0 else { return nil }
        return sxy / (sxx * syy).squareRoot()
    }

    /// 1-based ranks, ties averaged: [10, 20, 20, 30] → [1, 2.5, 2.5, 4]. Sorts (value, index) pairs: sorting
    /// indices through a closure that reads the values was twice as slow (the per-epoch ternary pass ranks
    /// 19,683 radii).
    public static func ranks(_ values: [Double]) -> [Double] {
        var order = values.enumerated().map { (value: $0.element, index: $0.offset) }
        order.sort { $0.value < $1.value }
        var result = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && order[end + 1].value == order[start].value { end += 1 }
            let rank = Double(start + end) / 2 + 1
            for k in start...end { result[order[k].index] = rank }
            start = end + 1
        }
        return result
    }
}
