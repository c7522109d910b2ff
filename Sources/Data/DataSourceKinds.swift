/// Every kind of data a config can name, in the order `data.source`'s choices are listed (and a path without a
/// source is matched against their `claims(path:)`).
public enum DataSourceKinds {
    public static let all: [any DataSourceKind] = [
        TernaryOperationsSource(),
        ShapesSource(),
        NPYSource(),
        CSVSource(),
        IDXSource(),
        SpritesSource(),
        PNGFolderSource(),
    ]

    /// The kind named `name`, if any.
    public static func named(_ name: String) -> (any DataSourceKind)? { all.first { $0.name == name } }
}
