/// `data.source: "csv"`: a CSV file of numbers, labels in `data.label_column`, read into memory as floats.
public struct CSVSource: DataSourceKind {
    public let name = "csv"
    public func claims(path: String) -> Bool {
        let lower = path.lowercased()
        return lower.hasSuffix(".csv") || lower.hasSuffix(".txt")
    }
    public func load(_ source: DataSource, path: String?, labelsPath: String?, scale: DataSource.Scale, options: DataReadOptions) throws(DataError) -> Dataset {
        let table = try CSVReader.read(path!, labelColumn: source.labelColumn, options: options)
        return try DataSource.dataset(table.features, labels: table.labels, file: path!, labelsFile: path!, scale: scale)
    }
}
