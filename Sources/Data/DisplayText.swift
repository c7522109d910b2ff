/// Values from a data file as they appear in an error message: at most a bounded prefix, with control
/// characters, invisible format characters and bytes that are not UTF-8 escaped, so that a 10 MB field or a
/// NUL byte never reaches the terminal raw.
enum DisplayText {
    /// Characters shown of a value before it is cut.
    static let limit = 40

    /// `bytes` in double quotes, at most `limit` characters, escaped; a longer value ends with `…` and its
    /// length in bytes: `"0.5x0.5x0.5x…" (10485760 bytes)`.
    static func quoted<Bytes: Collection<UInt8>>(_ bytes: Bytes, limit: Int = DisplayText.limit) -> String {
        let (text, complete) = escaped(bytes, limit: limit, quote: true)
        return "\"" + text + "\"" + (complete ? "" : "… (\(bytes.count) bytes)")
    }

    /// A string from the user (a column name, a config value) quoted the same way.
    static func quoted(_ text: String, limit: Int = DisplayText.limit) -> String {
        quoted(text.utf8, limit: limit)
    }

    /// `bytes` without quotes (for values that are numbers in the message, such as `inf`), escaped and cut.
    static func bare<Bytes: Collection<UInt8>>(_ bytes: Bytes, limit: Int = DisplayText.limit) -> String {
        let (text, complete) = escaped(bytes, limit: limit, quote: false)
        return text + (complete ? "" : "… (\(bytes.count) bytes)")
    }

    /// The escaped prefix of `bytes` and whether it is all of them.
    private static func escaped<Bytes: Collection<UInt8>>(_ bytes: Bytes, limit: Int, quote: Bool) -> (String, Bool) {
        // Look at no more bytes than `limit` characters can take, so a huge value costs nothing.
        let window = Array(bytes.prefix(max(0, limit) * 4 + 4))
        var text = ""
        var index = 0
        var shown = 0
        while index < window.count, shown < limit {
            let byte = window[index]
            if byte < 0x80 {
                switch byte {
                case 0x09: text += "\\t"
                case 0x0A: text += "\\n"
                case 0x0D: text += "\\r"
                case 0x22 where quote: text += "\\\""
                case 0x5C where quote: text += "\\\\"
                case 0x00..<0x20, 0x7F: text += hex(byte)
                default: text.unicodeScalars.append(Unicode.Scalar(byte))
                }
                index += 1
            } else {
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 0
                if length > 0, index + length <= window.count,
                   let decoded = String(validating: window[index..<(index + length)], as: UTF8.self),
                   decoded.unicodeScalars.count == 1, let scalar = decoded.unicodeScalars.first {
                    if isInvisible(scalar) {
                        text += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                    } else {
                        text.unicodeScalars.append(scalar)
                    }
                    index += length
                } else {
                    text += hex(byte)
                    index += 1
                }
            }
            shown += 1
        }
        return (text, index >= window.count && window.count == bytes.count)
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return "\\x" + (digits.count == 1 ? "0" + digits : digits)
    }

    /// C1 controls, zero-width and direction-changing characters, line and paragraph separators, the BOM:
    /// characters that would hide or reorder text in a terminal.
    private static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x80...0x9F, 0xAD, 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2069, 0xFEFF: return true
        default: return false
        }
    }
}
