/// All 3⁹ = 19,683 binary operations on {0, 1, 2} (seed 004's data set).
///
/// Operation `index` has the table `op(a, b) = digit (3a + b)` of `index` written in base 3, most significant
/// digit first. Features are the 9 digits one-hot encoded (9 × 3 = 27 inputs); the targets are the digits
/// (a categorical likelihood over 9 groups of 3). The label and difficulty of an operation are the 3-adic
/// valuation of its index (the number of times 3 divides it; index 0 has valuation 9), so labels are 0…9.
public enum TernaryOperations {
    public static let count = 19_683
    public static let positions = 9

    /// The 3-adic valuation of `index` (9 for 0).
    public static func valuation(_ index: Int) -> Int {
        if index == 0 { return positions }
        var value = index, valuation = 0
        while value % 3 == 0 {
            value /= 3
            valuation += 1
        }
        return valuation
    }

    /// The 9 ternary digits of `index`, most significant first.
    public static func digits(_ index: Int) -> [Int] {
        var value = index
        var result = [Int](repeating: 0, count: positions)
        for position in stride(from: positions - 1, through: 0, by: -1) {
            result[position] = value % 3
            value /= 3
        }
        return result
    }

    public static func dataset() -> Dataset {
        var features = [Float](repeating: 0, count: count * 27)
        var categories = [Int32](repeating: 0, count: count * positions)
        var labels = [Int32](repeating: 0, count: count)
        var difficulty = [Double](repeating: 0, count: count)
        for index in 0..<count {
            for (position, digit) in digits(index).enumerated() {
                features[index * 27 + position * 3 + digit] = 1
                categories[index * positions + position] = Int32(digit)
            }
            let v = valuation(index)
            labels[index] = Int32(v)
            difficulty[index] = Double(v)
        }
        return Dataset(name: "ternary_operations", kind: .categorical(groups: positions, groupSize: 3), count: count, featureCount: 27,
                       features: features, categories: categories, labels: labels, classCount: positions + 1,
                       classNames: (0...positions).map { "valuation \($0)" }, difficulty: difficulty)
    }
}
