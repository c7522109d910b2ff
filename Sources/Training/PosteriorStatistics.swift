/// Sums over a data set of each KL term's posterior means and KL values, for the collapse diagnostics that
/// validation reports every epoch and `anneal evaluate` reports at the end: KL per term and per latent
/// dimension, and active units.
public struct PosteriorStatistics: Sendable {
    public private(set) var examples = 0
    /// KL per term, summed over examples.
    public private(set) var kl: [Double]
    /// KL per term and latent dimension, summed over examples (empty for a term without per-dimension values).
    public private(set) var klPerDimension: [[Double]]
    private var meanSums: [[Double]]
    private var meanSquares: [[Double]]

    /// Statistics for KL terms whose latent blocks have `latentSizes` dimensions.
    public init(latentSizes: [Int]) {
        kl = latentSizes.map { _ in 0 }
        klPerDimension = latentSizes.map { [Double](repeating: 0, count: $0) }
        meanSums = klPerDimension
        meanSquares = klPerDimension
    }

    /// Adds one batch of `rows` examples: each term's KL values (rows × size, or rows × 1) and posterior means
    /// (rows × size), row-major.
    public mutating func add<Values: Collection, Means: Collection>(rows: Int, klValues: [Values], posteriorMeans: [Means])
        where Values.Element: BinaryFloatingPoint, Means.Element: BinaryFloatingPoint {
        examples += rows
        for term in kl.indices {
            let width = klPerDimension[term].count
            let perDimension = klValues[term].count == rows * width && width > 1
            var batchSum = 0.0  // the batch's sum first, then added: the same sums whichever batch size
            for (i, value) in klValues[term].enumerated() {
                batchSum += Double(value)
                if perDimension { klPerDimension[term][i % width] += Double(value) }
            }
            kl[term] += batchSum
            for (i, value) in posteriorMeans[term].enumerated() {
                meanSums[term][i % width] += Double(value)
                meanSquares[term][i % width] += Double(value) * Double(value)
            }
        }
    }

    /// The unbiased variance over examples of each dimension's posterior mean, A_u = Var_x(E_q[z_u | x]).
    public func posteriorMeanVariances(term: Int) -> [Double] {
        let n = Double(examples)
        guard n > 1 else { return meanSums[term].map { _ in 0 } }
        return meanSums[term].indices.map { u in (meanSquares[term][u] - meanSums[term][u] * meanSums[term][u] / n) / (n - 1) }
    }

    /// Active units per term: dimensions whose posterior mean varies over the data by at least `threshold`
    /// (Burda et al. 2016: 0.01; unbiased variance, as He et al. 2019 and jxhe's `calc_au`).
    public func activeUnits(threshold: Double = 0.01) -> [Int] {
        kl.indices.map { term in posteriorMeanVariances(term: term).filter { $0 >= threshold }.count }
    }

    /// Mean KL per term.
    public var meanKL: [Double] { kl.map { $0 / Double(max(1, examples)) } }
}
