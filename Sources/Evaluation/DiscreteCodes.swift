import Foundation

/// Discretisation and discrete information measures shared by MIG and the unsupervised scores.
enum DiscreteCodes {
    /// Each value's bin, 1…bins, as NumPy's `np.digitize(x, np.histogram(x, bins)[1][:-1])` computes it:
    /// edges e_j = min + j·(max − min)/bins (j = 0…bins−1; `np.linspace`), a value's bin the number of edges
    /// ≤ it. NumPy computes the edges in the values' own precision: for single-precision codes
    /// (`singlePrecision`) the step and every edge are rounded to Float as NumPy rounds them. When all values
    /// are equal, the edges are min − 0.5 + j/bins and every value falls in bin bins/2 + 1.
    static func histogramBins(_ values: [Double], bins: Int = 20, singlePrecision: Bool) -> [Int] {
        guard let low = values.min(), let high = values.max() else { return [] }
        var edges = [Double]()
        if singlePrecision {
            var first = Float(low), last = Float(high)
            if first == last { first -= 0.5; last += 0.5 }
            let step = (last - first) / Float(bins)
            edges = (0..<bins).map { Double(Float($0) * step + first) }
        } else {
            var first = low, last = high
            if first == last { first -= 0.5; last += 0.5 }
            let step = (last - first) / Double(bins)
            edges = (0..<bins).map { Double($0) * step + first }
        }
        return values.map { value in
            // Edges are increasing: count those ≤ value by binary search.
            var lowIndex = 0, highIndex = edges.count
            while lowIndex < highIndex {
                let middle = (lowIndex + highIndex) / 2
                if edges[middle] <= value { lowIndex = middle + 1 } else { highIndex = middle }
            }
            return lowIndex
        }
    }

    /// Labels renumbered 0..<distinct in increasing order, and the number of distinct labels.
    static func dense(_ labels: [Int]) -> ([Int], Int) {
        let distinct = Array(Set(labels)).sorted()
        let index = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, $0) })
        return (labels.map { index[$0]! }, distinct.count)
    }

    /// I(a; b) in nats from the contingency table of two labelings of the same examples, as scikit-learn's
    /// `mutual_info_score`: Σ_ij (n_ij/N)·log(N·n_ij / (n_i·n_j)), clipped at 0; 0 when either has one value.
    static func mutualInformation(_ a: [Int], _ b: [Int]) -> Double {
        precondition(a.count == b.count)
        let (x, xCount) = dense(a), (y, yCount) = dense(b)
        guard xCount > 1, yCount > 1 else { return 0 }
        var table = [Int](repeating: 0, count: xCount * yCount)
        var rowTotals = [Int](repeating: 0, count: xCount), columnTotals = [Int](repeating: 0, count: yCount)
        for i in x.indices {
            table[x[i] * yCount + y[i]] += 1
            rowTotals[x[i]] += 1
            columnTotals[y[i]] += 1
        }
        let n = Double(a.count)
        var total = 0.0
        for i in 0..<xCount {
            for j in 0..<yCount where table[i * yCount + j] > 0 {
                let count = Double(table[i * yCount + j])
                total += count / n * Foundation.log(n * count / (Double(rowTotals[i]) * Double(columnTotals[j])))
            }
        }
        return max(0, total)
    }

    /// H(a) in nats = I(a; a) = Σ_i (n_i/N)·log(N/n_i).
    static func entropy(_ a: [Int]) -> Double {
        let (x, count) = dense(a)
        guard count > 1 else { return 0 }
        var totals = [Int](repeating: 0, count: count)
        for value in x { totals[value] += 1 }
        let n = Double(a.count)
        return totals.reduce(0.0) { $0 + Double($1) / n * Foundation.log(n / Double($1)) }
    }

    /// scipy.stats.entropy(p, base): the values normalised to sum 1, −Σ p log p / log base.
    static func entropy(weights: [Double], base: Int) -> Double {
        let total = weights.reduce(0, +)
        var sum = 0.0
        for weight in weights where weight > 0 {
            let p = weight / total
            sum -= p * Foundation.log(p)
        }
        return sum / Foundation.log(Double(base))
    }
}
