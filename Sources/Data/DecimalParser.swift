import Foundation

/// Numbers in CSV fields, parsed from bytes to exactly the `Double` that `Double(String)` gives for the
/// field with its surrounding whitespace trimmed (what `CSVReader` has always accepted).
///
/// Plain decimals (`-12.5`, `3e-7`, `.5`) with at most 19 significant digits whose value needs at most 53 bits
/// and a power of ten within ±22 are exact as one IEEE multiplication or division of two exact doubles
/// (Clinger's fast path, correctly rounded by the hardware); other plain decimals go to the C library's
/// `strtod`, which rounds correctly for any length. Anything else (`inf`, `nan`, Unicode spaces, a locale
/// whose decimal point is not '.') takes `Double(String)` itself; fields holding a NUL byte are refused, where
/// `Double(String)` stopped at the NUL, and so is hexadecimal (`0x10`), which CSV readers elsewhere take for text.
enum DecimalParser {
    /// 10⁰ … 10²², each exact in double precision.
    static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Whether `byte` ends a field: a comma or a line break.
    @inline(__always)
    static func isDelimiter(_ byte: UInt8) -> Bool { byte == 0x2C || byte == 0x0A || byte == 0x0D }

    /// At `start`, a field made of spaces or tabs, a plain decimal number, spaces or tabs, then a comma or a
    /// line break (which must come before the end of the buffer). Returns the value and where the delimiter
    /// is, or nil when the field is anything else.
    @inline(__always)
    static func parseField(_ start: UnsafePointer<UInt8>) -> (value: Double, delimiter: UnsafePointer<UInt8>)? {
        var cursor = start
        while cursor.pointee == 0x20 || cursor.pointee == 0x09 { cursor += 1 }
        let tokenStart = cursor
        var negative = false
        if cursor.pointee == UInt8(ascii: "-") {
            negative = true
            cursor += 1
        } else if cursor.pointee == UInt8(ascii: "+") {
            cursor += 1
        }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var exponent = 0
        var sawDigit = false
        var exact = true
        // Integer part.
        while true {
            let digit = cursor.pointee &- 0x30
            guard digit < 10 else { break }
            sawDigit = true
            if mantissa == 0 && digit == 0 {
                // A leading zero: no significance.
            } else if significantDigits < 19 {
                mantissa = mantissa &* 10 &+ UInt64(digit)
                significantDigits += 1
            } else {
                exact = false
                exponent += 1
            }
            cursor += 1
        }
        // Fraction.
        if cursor.pointee == UInt8(ascii: ".") {
            cursor += 1
            while true {
                let digit = cursor.pointee &- 0x30
                guard digit < 10 else { break }
                sawDigit = true
                if mantissa == 0 && digit == 0 {
                    exponent -= 1
                } else if significantDigits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    significantDigits += 1
                    exponent -= 1
                } else {
                    exact = false
                }
                cursor += 1
            }
        }
        guard sawDigit else { return nil }
        // Exponent.
        if cursor.pointee | 0x20 == UInt8(ascii: "e") {
            cursor += 1
            var exponentNegative = false
            if cursor.pointee == UInt8(ascii: "-") {
                exponentNegative = true
                cursor += 1
            } else if cursor.pointee == UInt8(ascii: "+") {
                cursor += 1
            }
            var written = 0
            var sawExponentDigit = false
            while true {
                let digit = cursor.pointee &- 0x30
                guard digit < 10 else { break }
                sawExponentDigit = true
                if written < 100_000 { written = written * 10 + Int(digit) }
                cursor += 1
            }
            guard sawExponentDigit else { return nil }
            exponent += exponentNegative ? -written : written
        }
        let tokenEnd = cursor
        while cursor.pointee == 0x20 || cursor.pointee == 0x09 { cursor += 1 }
        guard isDelimiter(cursor.pointee) else { return nil }
        if mantissa == 0 { return (negative ? -0.0 : 0.0, cursor) }
        if exact, mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
            let magnitude = exponent >= 0 ? Double(mantissa) * powersOfTen[exponent] : Double(mantissa) / powersOfTen[-exponent]
            return (negative ? -magnitude : magnitude, cursor)
        }
        // Correct rounding of a long or far-out decimal: the C library. The byte after the token is a space,
        // tab, comma or line break, where strtod stops; a locale with another decimal point stops it early.
        let tokenLength = tokenEnd - tokenStart
        var parsedLength = -1
        let value = tokenStart.withMemoryRebound(to: CChar.self, capacity: tokenLength + 1) { text in
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(text, &end)
            if let end { parsedLength = UnsafePointer(end) - text }
            return value
        }
        guard parsedLength == tokenLength else {
            return parseGeneral(UnsafeBufferPointer(start: tokenStart, count: tokenEnd - tokenStart)).map { ($0, cursor) }
        }
        return (value, cursor)
    }

    /// Any field: `Double(String)` of the field with Unicode spaces and tabs trimmed from both ends, as
    /// `CSVReader` has always parsed; nil for a field holding a NUL byte.
    static func parseGeneral(_ field: UnsafeBufferPointer<UInt8>) -> Double? {
        guard !field.contains(0) else { return nil }
        let text: String = trimmed(field)
        guard !isHexadecimal(text) else { return nil }
        return Double(text)
    }

    /// Whether `text` is written in hexadecimal (`0x10`, `-0X1p3`), which `Double(String)` reads but NumPy's
    /// loadtxt, pandas and spreadsheets do not: a CSV cell "0x10" is text there, so it is not a number here
    /// either (it was read as 16, and a file of such cells turned the likelihood Gaussian).
    static func isHexadecimal(_ text: String) -> Bool {
        let unsigned = text.hasPrefix("-") || text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        return unsigned.hasPrefix("0x") || unsigned.hasPrefix("0X")
    }

    /// The field as text without its leading and trailing spaces and tabs (Unicode's space separators
    /// included), for header names and the general parse.
    static func trimmed(_ field: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: field, as: UTF8.self).trimmingCharacters(in: .whitespaces)
    }
}
