import Foundation

/// `data.source: "idx"`: an IDX file (MNIST's format), memory-mapped and kept in its stored type.
public struct IDXSource: DataSourceKind {
    public let name = "idx"
    public func claims(path: String) -> Bool {
        // The file's own name: a folder called "mnist-idx" does not make every path in it IDX.
        let lower = (path as NSString).lastPathComponent.lowercased()
        return lower.hasSuffix("-ubyte") || lower.hasSuffix(".idx") || lower.contains("-idx")
    }
    public func load(_ source: DataSource, path: String?, labelsPath: String?, scale: DataSource.Scale, options: DataReadOptions) throws(DataError) -> Dataset {
        try DataSource.loadMapped(path!, npy: false, labelsPath: labelsPath, scale: scale, layout: nil, options: options)
    }
}
