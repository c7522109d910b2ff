import Foundation

/// Numbers in words for result descriptions: three significant digits, no exponent between 0.001 and 10⁶
/// (`0.002`, `2.1`, `5.55`, `1234`), an exponent outside (`2e-05`).
enum Format {
    static func number(_ value: Double) -> String {
        if value == 0 { return "0" }
        if !value.isFinite { return "\(value)" }
        let magnitude = abs(value)
        if magnitude >= 1000 && magnitude < 1e6 { return String(format: "%.0f", value) }
        return String(format: "%.3g", value)
    }
}
