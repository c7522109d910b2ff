import Foundation

/// The CSV reader as it was before it parsed bytes (a `String` per line, `Double(String)` per field), kept as
/// the oracle of the CSV fuzz target: on ASCII input without NUL bytes the new reader must accept exactly what
/// this one accepts, with the same values. Slow, and meant only for small inputs. Like the reader, it takes no
/// hexadecimal field (`0x10`) for a number.
public enum ReferenceCSVReader {
    /// Header names (without the label column), features row-major, labels; or the error message.
    public struct Table: Equatable, Sendable {
        public var header: [String]?
        public var rows: Int
        public var features: [Float]
        public var labels: [Double]?
    }

    public static func read(_ text: String, labelColumn: String?) -> Result<Table, ReferenceError> {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).map(String.init)
        while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
        guard !lines.isEmpty else { return .failure(ReferenceError("is empty")) }
        func fields(_ line: String) -> [String] { line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) } }
        var header: [String]?
        var first = 0
        let firstFields = fields(lines[0])
        func number(_ field: String) -> Double? {
            let unsigned = field.hasPrefix("-") || field.hasPrefix("+") ? field.dropFirst() : Substring(field)
            return unsigned.hasPrefix("0x") || unsigned.hasPrefix("0X") ? nil : Double(field)
        }
        if firstFields.contains(where: { number($0) == nil }) {
            header = firstFields
            first = 1
        }
        guard lines.count > first else { return .failure(ReferenceError("has a header but no data rows")) }
        let width = header?.count ?? firstFields.count
        var labelIndex: Int?
        if let labelColumn {
            if let index = Int(labelColumn) {
                guard index >= 0 && index < width else { return .failure(ReferenceError("label_column outside the columns")) }
                labelIndex = index
            } else {
                guard let header else { return .failure(ReferenceError("label_column names a column, but the file has no header row")) }
                guard let index = header.firstIndex(of: labelColumn) else { return .failure(ReferenceError("has no such column")) }
                labelIndex = index
            }
        }
        var values: [Float] = []
        var labels: [Double] = []
        for lineNumber in first..<lines.count {
            let row = fields(lines[lineNumber])
            guard row.count == width else { return .failure(ReferenceError("line \(lineNumber + 1) is ragged")) }
            for (column, field) in row.enumerated() {
                guard let value = number(field) else { return .failure(ReferenceError("line \(lineNumber + 1), column \(column + 1): not a number")) }
                guard value.isFinite else { return .failure(ReferenceError("line \(lineNumber + 1), column \(column + 1): not finite")) }
                if column == labelIndex { labels.append(value) } else { values.append(Float(value)) }
            }
        }
        let featureColumns = width - (labelIndex == nil ? 0 : 1)
        guard featureColumns > 0 else { return .failure(ReferenceError("has no feature columns besides the label")) }
        let names = header.map { names in names.enumerated().filter { $0.offset != labelIndex }.map(\.element) }
        return .success(Table(header: names, rows: lines.count - first, features: values, labels: labelIndex == nil ? nil : labels))
    }

    /// Why the reference reader refused a file.
    public struct ReferenceError: Error, Equatable, Sendable {
        public var message: String
        public init(_ message: String) { self.message = message }
    }
}
