import Foundation

/// "Nice" axis ticks at 1, 2 or 5 × 10ⁿ spacing, and labels with just enough decimals.
public struct AxisTicks: Equatable, Sendable {
    public var lower: Double
    public var upper: Double
    public var step: Double

    /// Ticks covering `[minimum, maximum]` with about `count` intervals; the range is widened to whole steps.
    public init(minimum: Double, maximum: Double, count: Int = 5) {
        var low = minimum
        var high = maximum
        if !(high > low) {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            low -= pad
            high += pad
        }
        let raw = (high - low) / Double(max(1, count))
        let magnitude = pow(10, floor(log10(raw)))
        let fraction = raw / magnitude
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10
        step = nice * magnitude
        lower = floor(low / step + 1e-9) * step
        upper = ceil(high / step - 1e-9) * step
    }

    /// The tick values from `lower` to `upper`.
    public var values: [Double] {
        let count = Int(((upper - lower) / step).rounded())
        return (0...max(0, count)).map { lower + Double($0) * step }
    }

    /// A label for `value` with the decimals the step needs (`0.25`, `40`, `1e-04`).
    public func label(_ value: Double) -> String {
        if abs(value) < step * 1e-6 { return "0" }
        let magnitude = max(abs(lower), abs(upper))
        if magnitude >= 1e6 || (magnitude < 1e-3 && magnitude > 0) {
            return String(format: "%.2g", value)
        }
        let decimals = max(0, Int(ceil(-log10(step) - 1e-9)) + (step / pow(10, floor(log10(step))) == 2.5 ? 1 : 0))
        return String(format: "%.\(decimals)f", value)
    }
}
