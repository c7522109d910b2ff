/// Text from a config file as it appears in an error message: at most a bounded prefix, with control
/// characters and invisible or direction-changing characters escaped, so that a huge value or a key holding
/// `\u001b` never reaches the terminal raw. (Found by fuzzing: `"\<0x01>"` printed the raw byte.)
public enum MessageText {
    /// Characters shown before a value is cut.
    public static let limit = 40

    /// `text` in double quotes, escaped as JSON escapes it, cut after `limit` characters with `…`.
    public static func quoted(_ text: String, limit: Int = MessageText.limit) -> String {
        "\"" + escaped(text, limit: limit, quote: true) + "\""
    }

    /// `text` without quotes (a key in a key path, a number's literal), escaped and cut the same way.
    public static func bare(_ text: String, limit: Int = MessageText.limit) -> String {
        escaped(text, limit: limit, quote: false)
    }

    private static func escaped(_ text: String, limit: Int, quote: Bool) -> String {
        var result = ""
        var shown = 0
        for scalar in text.unicodeScalars {
            guard shown < limit else {
                result += "…"
                break
            }
            switch scalar {
            case "\"" where quote: result += "\\\""
            case "\\" where quote: result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || (0x200B...0x200F).contains(scalar.value)
                    || (0x2028...0x202E).contains(scalar.value) || (0x2060...0x2069).contains(scalar.value) || scalar.value == 0xFEFF {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    result += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
            shown += 1
        }
        return result
    }
}
