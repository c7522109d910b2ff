import Foundation

/// log Σ e^{v_k}, without overflow or underflow: m + log1p(Σ_{k≠k*} e^{v_k − m}) with m = v_{k*} the
/// (first) maximum, so a sum dominated by one term keeps its digits. −∞ for an empty list or all −∞,
/// +∞ when a value is +∞, NaN when a value is NaN.
enum LogSumExp {
    static func of<Values: Collection<Double>>(_ values: Values) -> Double {
        var maximum = -Double.infinity
        var maximumIndex = values.startIndex
        var index = values.startIndex
        while index != values.endIndex {
            let value = values[index]
            if value.isNaN { return .nan }
            if value > maximum {
                maximum = value
                maximumIndex = index
            }
            index = values.index(after: index)
        }
        if maximum == -.infinity || maximum == .infinity { return maximum }
        var rest = 0.0
        index = values.startIndex
        while index != values.endIndex {
            if index != maximumIndex { rest += exp(values[index] - maximum) }
            index = values.index(after: index)
        }
        return maximum + log1p(rest)
    }
}
