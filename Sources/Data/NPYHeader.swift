/// The header of a `.npy` file: a Python dict literal with exactly the keys `descr` (a type string such as
/// `'<f4'`), `fortran_order` (`True` or `False`) and `shape` (a tuple of non-negative integers), padded with
/// spaces and ending in a line break. Parsed strictly: a missing, unknown or repeated key, a value of the
/// wrong kind or anything after the closing brace but whitespace is an error (NumPy itself takes the last of
/// two equal keys; a reader that silently took either would hide a broken writer).
struct NPYHeader: Equatable {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    /// The most dimensions NumPy allows.
    static let maximumDimensions = 64

    /// Parses `bytes`. `allowLongSuffix` accepts Python 2's `10L` in the shape (format versions 1 and 2, as
    /// NumPy does). The error is a phrase to follow "header: ".
    static func parse(_ bytes: UnsafeRawBufferPointer, allowLongSuffix: Bool) throws(NPYHeaderError) -> NPYHeader {
        var parser = Parser(bytes: bytes, allowLongSuffix: allowLongSuffix)
        return try parser.parseDictionary()
    }

    private struct Parser {
        let bytes: UnsafeRawBufferPointer
        let allowLongSuffix: Bool
        var index = 0

        init(bytes: UnsafeRawBufferPointer, allowLongSuffix: Bool) {
            self.bytes = bytes
            self.allowLongSuffix = allowLongSuffix
        }

        var atEnd: Bool { index >= bytes.count }
        var current: UInt8 { bytes[index] }

        /// What is at the cursor, for messages: the quoted token there (a string, a word, a number or one
        /// punctuation character), or "the end of the header".
        var found: String {
            guard !atEnd else { return "the end of the header" }
            var end = index + 1
            if current == UInt8(ascii: "'") || current == UInt8(ascii: "\"") {
                while end < bytes.count, bytes[end] != current, end - index < 40 { end += 1 }
                end = min(bytes.count, end + 1)
            } else if isWordByte(current) || current == UInt8(ascii: "-") || current == UInt8(ascii: ".") {
                while end < bytes.count, isWordByte(bytes[end]) || bytes[end] == UInt8(ascii: "."), end - index < 40 { end += 1 }
            }
            return DisplayText.quoted(bytes[index..<end])
        }

        mutating func skipWhitespace() {
            while !atEnd, current == 0x20 || current == 0x09 || current == 0x0A || current == 0x0D || current == 0x0C { index += 1 }
        }

        mutating func expect(_ byte: UInt8, _ what: String) throws(NPYHeaderError) {
            skipWhitespace()
            guard !atEnd, current == byte else { throw NPYHeaderError("expected \(what), found \(found)") }
            index += 1
        }

        mutating func parseDictionary() throws(NPYHeaderError) -> NPYHeader {
            try expect(UInt8(ascii: "{"), "'{' (a Python dict)")
            var descr: String?, fortranOrder: Bool?, shape: [Int]?
            while true {
                skipWhitespace()
                if !atEnd, current == UInt8(ascii: "}") {
                    index += 1
                    break
                }
                let key = try parseString(what: "a key in quotes or '}'")
                try expect(UInt8(ascii: ":"), "':' after the key '\(key)'")
                skipWhitespace()
                switch key {
                case "descr":
                    guard descr == nil else { throw NPYHeaderError("the key 'descr' appears twice (NumPy would take the last one silently)") }
                    if !atEnd, current == UInt8(ascii: "[") {
                        throw NPYHeaderError("'descr' is a list of fields (a structured array); save a plain numeric array")
                    }
                    descr = try parseString(what: "a type string such as '<f4' for 'descr'")
                case "fortran_order":
                    guard fortranOrder == nil else { throw NPYHeaderError("the key 'fortran_order' appears twice (NumPy would take the last one silently)") }
                    fortranOrder = try parseBool()
                case "shape":
                    guard shape == nil else { throw NPYHeaderError("the key 'shape' appears twice (NumPy would take the last one silently)") }
                    shape = try parseShape()
                default:
                    throw NPYHeaderError("unknown key \(DisplayText.quoted(key)); a .npy header has exactly 'descr', 'fortran_order' and 'shape'")
                }
                skipWhitespace()
                guard !atEnd else { throw NPYHeaderError("it ends before the dict's closing '}'") }
                if current == UInt8(ascii: ",") {
                    index += 1
                } else if current != UInt8(ascii: "}") {
                    throw NPYHeaderError("expected ',' or '}' after the value of '\(key)', found \(found)")
                }
            }
            skipWhitespace()
            guard atEnd else { throw NPYHeaderError("\(found) after the dict's closing '}'") }
            let missing = [("descr", descr == nil), ("fortran_order", fortranOrder == nil), ("shape", shape == nil)].filter(\.1).map { "'\($0.0)'" }
            guard missing.isEmpty, let descr, let fortranOrder, let shape else {
                throw NPYHeaderError("no \(missing.joined(separator: " and ")); a .npy header has exactly 'descr', 'fortran_order' and 'shape'")
            }
            return NPYHeader(descr: descr, fortranOrder: fortranOrder, shape: shape)
        }

        /// A Python string literal in single or double quotes, printable ASCII without escapes.
        mutating func parseString(what: String) throws(NPYHeaderError) -> String {
            skipWhitespace()
            guard !atEnd, current == UInt8(ascii: "'") || current == UInt8(ascii: "\"") else { throw NPYHeaderError("expected \(what), found \(found)") }
            let quote = current
            let start = index
            index += 1
            var text = ""
            while true {
                guard !atEnd else { throw NPYHeaderError("unterminated string \(DisplayText.quoted(bytes[start...]))") }
                let byte = current
                if byte == quote { break }
                guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else {
                    throw NPYHeaderError("the string \(DisplayText.quoted(bytes[start...])) holds a character other than printable ASCII")
                }
                text.unicodeScalars.append(Unicode.Scalar(byte))
                index += 1
            }
            index += 1
            return text
        }

        mutating func parseBool() throws(NPYHeaderError) -> Bool {
            let start = index
            while !atEnd, isWordByte(current) { index += 1 }
            let word = String(decoding: bytes[start..<index], as: UTF8.self)
            switch word {
            case "True": return true
            case "False": return false
            default:
                index = start
                throw NPYHeaderError("'fortran_order' must be True or False, found \(found)")
            }
        }

        /// `()`, `(n,)`, `(n, m)` or `(n, m,)` of non-negative decimal integers.
        mutating func parseShape() throws(NPYHeaderError) -> [Int] {
            guard !atEnd, current == UInt8(ascii: "(") else {
                throw NPYHeaderError("'shape' must be a tuple of non-negative integers such as (60000, 784), found \(found)")
            }
            let start = index
            index += 1
            var shape: [Int] = []
            var sawComma = false
            while true {
                skipWhitespace()
                guard !atEnd else { throw NPYHeaderError("'shape' \(DisplayText.quoted(bytes[start...])) has no closing ')'") }
                if current == UInt8(ascii: ")") {
                    index += 1
                    break
                }
                if !shape.isEmpty, !sawComma {
                    throw NPYHeaderError("expected ',' or ')' in 'shape', found \(found)")
                }
                shape.append(try parseDimension())
                guard shape.count <= NPYHeader.maximumDimensions else {
                    throw NPYHeaderError("'shape' has more than \(NPYHeader.maximumDimensions) dimensions, NumPy's limit")
                }
                skipWhitespace()
                sawComma = !atEnd && current == UInt8(ascii: ",")
                if sawComma { index += 1 }
            }
            if shape.count == 1, !sawComma {
                throw NPYHeaderError("'shape' (\(shape[0])) is a number in parentheses, not a tuple; a one-dimensional shape is written (\(shape[0]),)")
            }
            return shape
        }

        mutating func parseDimension() throws(NPYHeaderError) -> Int {
            let start = index
            if current == UInt8(ascii: "-") {
                index += 1
                while !atEnd, isDigit(current) { index += 1 }
                throw NPYHeaderError("'shape' has a negative dimension, \(DisplayText.bare(bytes[start..<index]))")
            }
            while !atEnd, isDigit(current) { index += 1 }
            let digits = bytes[start..<index]
            guard !digits.isEmpty else { throw NPYHeaderError("'shape' must hold non-negative integers, found \(found)") }
            if allowLongSuffix, !atEnd, current == UInt8(ascii: "L") || current == UInt8(ascii: "l") { index += 1 }
            if !atEnd, isWordByte(current) || current == UInt8(ascii: ".") {
                while !atEnd, isWordByte(current) || current == UInt8(ascii: ".") { index += 1 }
                throw NPYHeaderError("'shape' must hold non-negative integers, found \(DisplayText.quoted(bytes[start..<index]))")
            }
            if digits.count > 1, digits.first == UInt8(ascii: "0"), digits.contains(where: { $0 != UInt8(ascii: "0") }) {
                throw NPYHeaderError("'shape' has the dimension \(DisplayText.bare(digits)) with a leading zero, which Python does not allow")
            }
            var value = 0
            for digit in digits {
                let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(Int(digit - UInt8(ascii: "0")))
                guard !overflow1, !overflow2 else {
                    throw NPYHeaderError("'shape' has the dimension \(DisplayText.bare(digits)), larger than any file can hold")
                }
                value = sum
            }
            return value
        }

        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

        func isWordByte(_ byte: UInt8) -> Bool {
            isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_")
        }
    }
}

/// Why a `.npy` header was refused, as a phrase.
struct NPYHeaderError: Error, Equatable {
    var message: String
    init(_ message: String) { self.message = message }
}
