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

    public static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
