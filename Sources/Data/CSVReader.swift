import Foundation

/// Reads numeric CSV: comma-separated, an optional header row (detected: a first row with any non-numeric
/// field), and optionally one column of integer class labels chosen by name or index.
public enum CSVReader {
    public struct Table: Sendable {
        public var header: [String]?
        public var features: NumericArray
        public var labels: [Double]?
    }

    /// `labelColumn` is a header name or a 0-based column index written as a string.
    public static func read(_ path: String, labelColumn: String? = nil) throws(DataError) -> Table {
        let data = try DataFile.map(path)
        guard let text = String(data: data, encoding: .utf8) else { throw DataError(file: path, "is not UTF-8 text") }
        // "\r\n" is a single Character in Swift, so lines are split on any line break, not on "\n" alone.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).map(String.init)
        while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
        guard !lines.isEmpty else { throw DataError(file: path, "is empty") }
        func fields(_ line: String) -> [String] { line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) } }
        var header: [String]?
        var first = 0
        let firstFields = fields(lines[0])
        if firstFields.contains(where: { Double($0) == nil }) {
            header = firstFields
            first = 1
        }
        guard lines.count > first else { throw DataError(file: path, "has a header but no data rows") }
        let width = header?.count ?? firstFields.count
        var labelIndex: Int?
        if let labelColumn {
            if let index = Int(labelColumn) {
                guard index >= 0 && index < width else { throw DataError(file: path, "label_column \(index) is outside the \(width) columns (0-based)") }
                labelIndex = index
            } else {
                guard let header else { throw DataError(file: path, "label_column \"\(labelColumn)\" names a column, but the file has no header row") }
                guard let index = header.firstIndex(of: labelColumn) else {
                    throw DataError(file: path, "has no column \"\(labelColumn)\"; columns: \(header.joined(separator: ", "))")
                }
                labelIndex = index
            }
        }
        var values: [Float] = []
        var labels: [Double] = []
        values.reserveCapacity((lines.count - first) * width)
        for lineNumber in first..<lines.count {
            let row = fields(lines[lineNumber])
            guard row.count == width else {
                throw DataError(file: path, "line \(lineNumber + 1) has \(row.count) fields, line \(first + 1) has \(width) (ragged CSV)")
            }
            for (column, field) in row.enumerated() {
                guard let value = Double(field) else {
                    throw DataError(file: path, "line \(lineNumber + 1), column \(column + 1): \"\(field)\" is not a number")
                }
                guard value.isFinite else {
                    throw DataError(file: path, "line \(lineNumber + 1), column \(column + 1): \(field) is not finite; data must not contain NaN or infinity")
                }
                if column == labelIndex { labels.append(value) } else { values.append(Float(value)) }
            }
        }
        let rows = lines.count - first
        let featureColumns = width - (labelIndex == nil ? 0 : 1)
        guard featureColumns > 0 else { throw DataError(file: path, "has no feature columns besides the label") }
        let names = header.map { names in names.enumerated().filter { $0.offset != labelIndex }.map(\.element) }
        return Table(header: names, features: NumericArray(values: values, shape: [rows, featureColumns], elementType: "csv"),
                     labels: labelIndex == nil ? nil : labels)
    }
}
