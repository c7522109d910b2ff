/// A strict JSON (RFC 8259) parser that records where every value starts.
///
/// Beyond the RFC it accepts the tokens `NaN`, `Infinity` and `-Infinity` that Python's `json.dumps`
/// writes, so that a config containing them gets a precise "must be a finite number" error at its key
/// instead of a syntax error. Duplicate keys in one object are an error (JSON leaves them undefined, and
/// silently keeping one of two values hides mistakes). Errors carry the line and column.
public struct JSONParser {
    /// Deepest nesting accepted; deeper documents are rejected rather than overflowing the stack.
    public static let maximumDepth = 256

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var column = 1
    private let file: String?

    private init(bytes: [UInt8], file: String?) {
        self.bytes = bytes
        self.file = file
    }

    /// Parses one JSON document from UTF-8 text. `file` only labels errors.
    public static func parse(_ text: String, file: String? = nil) throws(ConfigError) -> JSONValue {
        try parse(bytes: Array(text.utf8), file: file)
    }

    /// Parses one JSON document from UTF-8 bytes (a leading byte-order mark is skipped).
    public static func parse(bytes: [UInt8], file: String? = nil) throws(ConfigError) -> JSONValue {
        var parser = JSONParser(bytes: bytes, file: file)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.index = 3 }
        parser.skipWhitespace()
        if parser.atEnd {
            throw ConfigError(file: file, position: parser.position,
                              message: "the file is empty; expected a JSON object such as {\"training\": {…}}")
        }
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if !parser.atEnd {
            throw parser.error("unexpected \(parser.describeCurrent()) after the end of the JSON document")
        }
        return value
    }

    // MARK: Cursor

    private var atEnd: Bool { index >= bytes.count }
    private var current: UInt8 { bytes[index] }
    private var position: SourcePosition { SourcePosition(line: line, column: column) }

    private mutating func advance() {
        let byte = bytes[index]
        index += 1
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1  // count scalars, not UTF-8 continuation bytes
        }
    }

    private func error(_ message: String, at position: SourcePosition? = nil) -> ConfigError {
        ConfigError(file: file, position: position ?? self.position, message: "invalid JSON: " + message)
    }

    private func describeCurrent() -> String {
        guard !atEnd else { return "end of file" }
        let byte = current
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(UnicodeScalar(byte)))'" }
        if byte == 0x20 { return "space" }
        if byte == 0x0A { return "line break" }
        if byte == 0x09 { return "tab" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x" + (hex.count == 1 ? "0" + hex : hex)
    }

    private mutating func skipWhitespace() {
        while !atEnd {
            switch current {
            case 0x20, 0x0A, 0x0D, 0x09: advance()
            case UInt8(ascii: "/"):
                return  // comments are not JSON; reported by the caller as an unexpected '/'
            default: return
            }
        }
    }

    // MARK: Values

    private mutating func parseValue(depth: Int) throws(ConfigError) -> JSONValue {
        guard depth < JSONParser.maximumDepth else {
            throw error("nested more than \(JSONParser.maximumDepth) levels deep")
        }
        guard !atEnd else { throw error("unexpected end of file; expected a value") }
        let start = position
        switch current {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return JSONValue(.string(try parseString()), position: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        case UInt8(ascii: "t"): try expectWord("true"); return JSONValue(.bool(true), position: start)
        case UInt8(ascii: "f"): try expectWord("false"); return JSONValue(.bool(false), position: start)
        case UInt8(ascii: "n"): try expectWord("null"); return JSONValue(.null, position: start)
        case UInt8(ascii: "N"):
            try expectWord("NaN")
            return JSONValue(.number(.nan, literal: "NaN"), position: start)
        case UInt8(ascii: "I"):
            try expectWord("Infinity")
            return JSONValue(.number(.infinity, literal: "Infinity"), position: start)
        case UInt8(ascii: "/"):
            throw error("comments are not allowed in JSON")
        case UInt8(ascii: "'"):
            throw error("strings must use double quotes (\"), not single quotes")
        default:
            if current == UInt8(ascii: "T") || current == UInt8(ascii: "F") {
                throw error("unexpected \(describeCurrent()); JSON spells booleans true and false (lowercase)")
            }
            throw error("unexpected \(describeCurrent()); expected a value (object, array, string, number, true, false or null)")
        }
    }

    private mutating func expectWord(_ word: String) throws(ConfigError) {
        let start = position
        for expected in word.utf8 {
            guard !atEnd, current == expected else {
                throw error("unexpected text; expected '\(word)'", at: start)
            }
            advance()
        }
        if !atEnd, isWordByte(current) {
            throw error("unexpected text after '\(word)'", at: start)
        }
    }

    private func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
    }

    private mutating func parseObject(depth: Int) throws(ConfigError) -> JSONValue {
        let start = position
        advance()  // {
        var members: [JSONMember] = []
        var seen: [String: SourcePosition] = [:]
        skipWhitespace()
        if !atEnd, current == UInt8(ascii: "}") {
            advance()
            return JSONValue(.object(members), position: start)
        }
        while true {
            skipWhitespace()
            guard !atEnd else { throw error("unexpected end of file inside the object that starts at line \(start.line), column \(start.column); expected '}'") }
            guard current == UInt8(ascii: "\"") else {
                if current == UInt8(ascii: "}") { throw error("trailing comma before '}'") }
                throw error("unexpected \(describeCurrent()); expected a key in double quotes")
            }
            let keyPosition = position
            let key = try parseString()
            if let first = seen[key] {
                throw error("duplicate key \(MessageText.quoted(key)) (first at line \(first.line), column \(first.column))", at: keyPosition)
            }
            seen[key] = keyPosition
            skipWhitespace()
            guard !atEnd, current == UInt8(ascii: ":") else {
                throw error("unexpected \(describeCurrent()); expected ':' after the key \(MessageText.quoted(key))")
            }
            advance()
            skipWhitespace()
            let value = try parseValue(depth: depth + 1)
            members.append(JSONMember(key: key, keyPosition: keyPosition, value: value))
            skipWhitespace()
            guard !atEnd else { throw error("unexpected end of file inside the object that starts at line \(start.line), column \(start.column); expected ',' or '}'") }
            if current == UInt8(ascii: ",") {
                advance()
                continue
            }
            if current == UInt8(ascii: "}") {
                advance()
                return JSONValue(.object(members), position: start)
            }
            throw error("unexpected \(describeCurrent()); expected ',' or '}' after the value of \(MessageText.quoted(key))")
        }
    }

    private mutating func parseArray(depth: Int) throws(ConfigError) -> JSONValue {
        let start = position
        advance()  // [
        var values: [JSONValue] = []
        skipWhitespace()
        if !atEnd, current == UInt8(ascii: "]") {
            advance()
            return JSONValue(.array(values), position: start)
        }
        while true {
            skipWhitespace()
            if !atEnd, current == UInt8(ascii: "]") { throw error("trailing comma before ']'") }
            values.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard !atEnd else { throw error("unexpected end of file inside the array that starts at line \(start.line), column \(start.column); expected ',' or ']'") }
            if current == UInt8(ascii: ",") {
                advance()
                continue
            }
            if current == UInt8(ascii: "]") {
                advance()
                return JSONValue(.array(values), position: start)
            }
            throw error("unexpected \(describeCurrent()); expected ',' or ']' in the array")
        }
    }

    private mutating func parseString() throws(ConfigError) -> String {
        let start = position
        advance()  // opening quote
        var chunkStart = index
        var result = ""
        func flush(_ upTo: Int) {
            if upTo > chunkStart { result += String(decoding: bytes[chunkStart..<upTo], as: UTF8.self) }
        }
        while true {
            guard !atEnd else { throw error("unterminated string (it starts at line \(start.line), column \(start.column))") }
            let byte = current
            if byte == UInt8(ascii: "\"") {
                flush(index)
                advance()
                return result
            }
            if byte < 0x20 {
                throw error(byte == 0x0A ? "line break inside a string (unterminated string?)" : "control character inside a string; escape it")
            }
            if byte == UInt8(ascii: "\\") {
                flush(index)
                advance()
                guard !atEnd else { throw error("unterminated escape sequence") }
                let escape = current
                advance()
                switch escape {
                case UInt8(ascii: "\""): result += "\""
                case UInt8(ascii: "\\"): result += "\\"
                case UInt8(ascii: "/"): result += "/"
                case UInt8(ascii: "b"): result += "\u{08}"
                case UInt8(ascii: "f"): result += "\u{0C}"
                case UInt8(ascii: "n"): result += "\n"
                case UInt8(ascii: "r"): result += "\r"
                case UInt8(ascii: "t"): result += "\t"
                case UInt8(ascii: "u"):
                    let high = try parseHex4()
                    var scalarValue = high
                    if (0xD800...0xDBFF).contains(high) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                            throw error("unpaired UTF-16 surrogate \\u\(String(high, radix: 16, uppercase: true))")
                        }
                        advance(); advance()
                        let low = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw error("invalid UTF-16 surrogate pair") }
                        scalarValue = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(high) {
                        throw error("unpaired UTF-16 surrogate \\u\(String(high, radix: 16, uppercase: true))")
                    }
                    guard let scalar = Unicode.Scalar(scalarValue) else { throw error("invalid \\u escape") }
                    result.unicodeScalars.append(scalar)
                default:
                    // The byte after the backslash, shown as a character only when it is printable ASCII.
                    let shown = escape >= 0x21 && escape < 0x7F ? "'\\\(Character(UnicodeScalar(escape)))'" : "'\\' followed by byte 0x" + String(escape, radix: 16, uppercase: true)
                    throw error("invalid escape sequence \(shown)")
                }
                chunkStart = index
                continue
            }
            advance()
        }
    }

    private mutating func parseHex4() throws(ConfigError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard !atEnd else { throw error("unterminated \\u escape") }
            let byte = current
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("invalid hexadecimal digit in \\u escape")
            }
            value = value * 16 + digit
            advance()
        }
        return value
    }

    private mutating func parseNumber() throws(ConfigError) -> JSONValue {
        let start = position
        let startIndex = index
        if current == UInt8(ascii: "-") {
            advance()
            if !atEnd, current == UInt8(ascii: "I") {
                try expectWord("Infinity")
                return JSONValue(.number(-.infinity, literal: "-Infinity"), position: start)
            }
        }
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        guard !atEnd, isDigit(current) else { throw error("invalid number: expected a digit", at: start) }
        if current == UInt8(ascii: "0") {
            advance()
            if !atEnd, isDigit(current) { throw error("invalid number: leading zeros are not allowed", at: start) }
        } else {
            while !atEnd, isDigit(current) { advance() }
        }
        if !atEnd, current == UInt8(ascii: ".") {
            advance()
            guard !atEnd, isDigit(current) else { throw error("invalid number: expected a digit after '.'", at: start) }
            while !atEnd, isDigit(current) { advance() }
        }
        if !atEnd, current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            advance()
            if !atEnd, current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { advance() }
            guard !atEnd, isDigit(current) else { throw error("invalid number: expected a digit in the exponent", at: start) }
            while !atEnd, isDigit(current) { advance() }
        }
        if !atEnd, isWordByte(current) || current == UInt8(ascii: ".") {
            throw error("invalid number: unexpected \(describeCurrent())", at: start)
        }
        let literal = String(decoding: bytes[startIndex..<index], as: UTF8.self)
        // Double(String) rounds correctly; out-of-range literals become ±infinity and are caught as non-finite later.
        let value = Double(literal) ?? (literal.hasPrefix("-") ? -.infinity : .infinity)
        return JSONValue(.number(value, literal: literal), position: start)
    }
}
