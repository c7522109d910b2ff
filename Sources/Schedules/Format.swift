/// Number formatting shared by descriptions, warnings and tables.
enum Format {
    /// Integers without a fraction (`40`), other values in Swift's shortest round-trip form (`0.2`, `1e-06`).
    static func number(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// At most `digits` significant digits, trailing zeros dropped: for people, not for round trips.
    static func short(_ value: Double, digits: Int = 4) -> String {
        guard value.isFinite else { return "\(value)" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        let magnitude = abs(value)
        if magnitude >= 1e-4 && magnitude < 1e6 {
            let decimals = max(0, digits - 1 - Int(magnitude.log10Floor))
            var text = fixed(value, decimals: decimals)
            if text.contains(".") {
                while text.hasSuffix("0") { text.removeLast() }
                if text.hasSuffix(".") { text.removeLast() }
            }
            return text
        }
        // Scientific: a mantissa with `digits` significant digits and a two-digit exponent, 8.31705e-05.
        var exponent = Int(magnitude.log10Floor)
        // 10^|exponent| in two factors, so neither overflows: 5e-324 needs 10³²⁴, beyond a double ("infe-324").
        var first = 1.0, second = 1.0
        for _ in 0..<min(abs(exponent), 300) { first *= 10 }
        for _ in 0..<max(0, abs(exponent) - 300) { second *= 10 }
        var mantissa = exponent >= 0 ? magnitude / first / second : magnitude * first * second
        var mantissaText = fixed(mantissa, decimals: digits - 1)
        if mantissaText.hasPrefix("10") {  // 9.999996 rounded up to 10.00000
            exponent += 1
            mantissa /= 10
            mantissaText = fixed(mantissa, decimals: digits - 1)
        }
        if mantissaText.contains(".") {
            while mantissaText.hasSuffix("0") { mantissaText.removeLast() }
            if mantissaText.hasSuffix(".") { mantissaText.removeLast() }
        }
        let exponentText = (exponent < 0 ? "-" : "+") + (abs(exponent) < 10 ? "0" : "") + String(abs(exponent))
        return (value < 0 ? "-" : "") + mantissaText + "e" + exponentText
    }

    /// `value` rounded to `decimals` places, without Foundation.
    static func fixed(_ value: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return "\(value)" }
        let integer = Int64(scaled)
        var digits = String(integer)
        if decimals > 0 {
            if digits.count <= decimals { digits = String(repeating: "0", count: decimals - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
        }
        return (value < 0 && integer != 0 ? "-" : "") + digits
    }

    /// A percentage with one decimal: `54.5%`.
    static func percent(_ fraction: Double) -> String {
        fixed(fraction * 100, decimals: 1) + "%"
    }
}

extension Double {
    /// ⌊log₁₀|x|⌋ for x ≠ 0, computed without Foundation.
    var log10Floor: Double {
        var exponent = 0.0
        var magnitude = abs(self)
        while magnitude >= 10 { magnitude /= 10; exponent += 1 }
        while magnitude < 1 { magnitude *= 10; exponent -= 1 }
        return exponent
    }
}
