/// `data.source: "npy"`: a NumPy array file, memory-mapped and kept in its stored type (`MappedArrayRows`);
/// four-dimensional image arrays in either channel order (`data.layout`).
public struct NPYSource: DataSourceKind {
    public let name = "npy"
    public func claims(path: String) -> Bool { path.lowercased().hasSuffix(".npy") }
    public func load(_ source: DataSource, path: String?, labelsPath: String?, scale: DataSource.Scale, options: DataReadOptions) throws(DataError) -> Dataset {
        try DataSource.loadMapped(path!, npy: true, labelsPath: labelsPath, scale: scale, layout: source.layout, options: options)
    }
}
