import Foundation

/// Comma-separated values as RFC 4180 writes them: a header row, then one row per record; fields that hold
/// a comma, a quote or a line break are quoted, with quotes doubled. Lines end with `\n`.
public struct CSVTable: Sendable {
    public var header: [String]
    public var rows: [[String]]

    public init(header: [String], rows: [[String]] = []) {
        self.header = header
        self.rows = rows
    }

    public var text: String {
        var result = Self.line(header)
        for row in rows { result += Self.line(row) }
        return result
    }

    public static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\n"
    }

    /// The text of CSV bytes: UTF-8 (invalid sequences replaced), without a leading byte-order mark.
    public static func text(_ data: Data) -> String {
        let bytes = data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data[...]
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The records of RFC 4180 `text` as `line` writes them (quoted fields may hold commas, doubled quotes and
    /// line breaks). A last record without its line break, as a kill while writing leaves it, is dropped.
    public static func records(_ text: String) -> [[String]] {
        // Unicode scalars, not Characters: a quote followed by a combining mark is one Character, which would
        // hide the quote.
        var records: [[String]] = []
        var record: [String] = []
        var field = String.UnicodeScalarView()
        var quoted = false
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar?
        while let scalar = pending ?? scalars.next() {
            pending = nil
            if quoted {
                if scalar == "\"" {
                    let next = scalars.next()
                    if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                } else {
                    field.append(scalar)
                }
            } else if scalar == "\"" && field.isEmpty {
                quoted = true
            } else if scalar == "," {
                record.append(String(field))
                field = String.UnicodeScalarView()
            } else if scalar == "\n" || scalar == "\r" {
                if scalar == "\r" {
                    let next = scalars.next()
                    if next != "\n" {
                        field.append(scalar)
                        pending = next
                        continue
                    }
                }
                record.append(String(field))
                records.append(record)
                record = []
                field = String.UnicodeScalarView()
            } else {
                field.append(scalar)
            }
        }
        return records
    }

    public static func field(_ value: String) -> String {
        guard value.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        var quoted = String.UnicodeScalarView()
        quoted.append("\"")
        for scalar in value.unicodeScalars {
            quoted.append(scalar)
            if scalar == "\"" { quoted.append("\"") }
        }
        quoted.append("\"")
        return String(quoted)
    }
}
