/// Writes `JSONValue`s as JSON text, keeping object keys in order and numbers exact
/// (each number is written as its shortest round-trip spelling). NaN and ±infinity, which JSON has no
/// spelling for, are written as `null`, so strict parsers (JavaScript, Python's `json` with
/// `parse_constant` rejecting them) read every file anneal writes.
public enum JSONWriter {
    /// One line, no spaces: `{"a":1,"b":[true,null]}`.
    public static func compact(_ value: JSONValue) -> String {
        var text = ""
        write(value, into: &text, indent: nil, level: 0)
        return text
    }

    /// Indented with `indent` spaces per level, a space after each colon, and a final newline.
    public static func pretty(_ value: JSONValue, indent: Int = 2) -> String {
        var text = ""
        write(value, into: &text, indent: indent, level: 0)
        return text + "\n"
    }

    /// A JSON string literal for `text`, with the escapes RFC 8259 requires, and `\u` escapes for the
    /// characters that would act on a terminal or hide text where the literal is printed (DEL and the C1
    /// controls, U+2028/2029, direction overrides and isolates: found by fuzzing run configs, whose error
    /// messages quote values with this).
    public static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || (0x2028...0x202E).contains(scalar.value)
                    || (0x2066...0x2069).contains(scalar.value) {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// How a value is laid out: all on one line without spaces, on one line with spaces after separators
    /// (short arrays inside pretty output), or one member per line.
    private enum Layout {
        case compact
        case inline
        case indented(Int)
    }

    private static func write(_ value: JSONValue, into text: inout String, indent: Int?, level: Int) {
        write(value, into: &text, layout: indent.map(Layout.indented) ?? .compact, level: level)
    }

    private static func write(_ value: JSONValue, into text: inout String, layout: Layout, level: Int) {
        switch value.kind {
        case .null: text += "null"
        case .bool(let flag): text += flag ? "true" : "false"
        case .number(let number, let literal):
            // A whole number written in digits keeps its digits (a seed above 2⁵³ is not rounded by a double).
            if number.isFinite, abs(number) >= 1e15, JSONValue.isIntegerLiteral(literal) { text += literal }
            else { text += number.isFinite ? JSONValue.literal(for: number) : "null" }
        case .string(let string): text += quoted(string)
        case .array(let values):
            if values.isEmpty { text += "[]"; return }
            var inner = layout
            // Arrays of scalars (and of arrays of numbers, such as knots) stay on one line in pretty output.
            if case .indented = layout, values.allSatisfy(isShort) { inner = .inline }
            writeContainer(values.map { (nil, $0) }, open: "[", close: "]", into: &text, layout: inner, level: level)
        case .object(let members):
            if members.isEmpty { text += "{}"; return }
            writeContainer(members.map { ($0.key, $0.value) }, open: "{", close: "}", into: &text, layout: layout, level: level)
        }
    }

    private static func writeContainer(_ items: [(String?, JSONValue)], open: String, close: String, into text: inout String, layout: Layout, level: Int) {
        text += open
        for (offset, item) in items.enumerated() {
            switch layout {
            case .compact: if offset > 0 { text += "," }
            case .inline: if offset > 0 { text += ", " }
            case .indented(let indent):
                if offset > 0 { text += "," }
                text += "\n" + String(repeating: " ", count: indent * (level + 1))
            }
            if let key = item.0 {
                text += quoted(key)
                if case .compact = layout { text += ":" } else { text += ": " }
            }
            write(item.1, into: &text, layout: layout, level: level + 1)
        }
        if case .indented(let indent) = layout { text += "\n" + String(repeating: " ", count: indent * level) }
        text += close
    }

    /// Scalars, and arrays of numbers: short enough to keep on one line.
    private static func isShort(_ value: JSONValue) -> Bool {
        switch value.kind {
        case .array(let inner): return inner.allSatisfy { if case .number = $0.kind { return true } else { return false } }
        case .object: return false
        default: return true
        }
    }
}
