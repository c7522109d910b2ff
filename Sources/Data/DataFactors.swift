/// The generative factors of a data set's examples, when known: each factor's name and number of values, and
/// each example's value of each (a whole number in 0..<size). dsprites knows its five from the image index;
/// user data gives them as `data.factors_path`, an N × K integer array (with optional `data.factor_names`).
/// Samplers stratify by them (`"by": "factor:shape"`) and the disentanglement metrics will score codes against them.
public struct DataFactors: Sendable, Equatable {
    enum Values: Sendable, Equatable {
        /// N × K, row-major.
        case table([Int32])
        /// dsprites: row r is image `indices[r]` (or r), whose factors follow from its index.
        case sprites(indices: [Int32]?)
    }

    public let names: [String]
    /// Values per factor: its largest value + 1 (dsprites: 3, 6, 40, 32, 32).
    public let sizes: [Int]
    let values: Values

    init(names: [String], sizes: [Int], values: Values) {
        self.names = names
        self.sizes = sizes
        self.values = values
    }

    /// dsprites' five factors, for the images `indices` (all of them when nil).
    public static func sprites(indices: [Int32]?) -> DataFactors {
        DataFactors(names: SpriteImages.factorNames, sizes: SpriteImages.factorSizes, values: .sprites(indices: indices))
    }

    /// Factors from a table of `count` rows of `names.count` whole numbers ≥ 0 (checked by the reader).
    public static func table(_ values: [Int32], names: [String]) -> DataFactors {
        let k = names.count
        var sizes = [Int](repeating: 0, count: k)
        for (position, value) in values.enumerated() { sizes[position % k] = max(sizes[position % k], Int(value) + 1) }
        return DataFactors(names: names, sizes: sizes, values: .table(values))
    }

    /// The value of factor `factor` for example `row`.
    public func value(row: Int, factor: Int) -> Int {
        switch values {
        case .table(let table): return Int(table[row * names.count + factor])
        case .sprites(let indices):
            return SpriteImages.factor(factor, of: indices.map { Int($0[row]) } ?? row)
        }
    }

    /// The factor called `name`.
    public func index(named name: String) -> Int? { names.firstIndex(of: name) }

    /// The factors of the examples `rows`, in that order.
    public func subset(rows: [Int]) -> DataFactors {
        switch values {
        case .table(let table):
            let k = names.count
            return DataFactors(names: names, sizes: sizes, values: .table(rows.flatMap { table[($0 * k)..<(($0 + 1) * k)] }))
        case .sprites(let indices):
            return DataFactors(names: names, sizes: sizes, values: .sprites(indices: rows.map { indices?[$0] ?? Int32($0) }))
        }
    }
}
