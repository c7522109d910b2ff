/// A kind of data (`data.source`): its name in configs, whether it reads files, how a file is recognised, how it
/// loads, and the model a run on it gets by default. A new kind is one type conforming to this protocol plus one
/// line in `DataSourceKinds.all`; its examples come as a `FeatureSource`.
public protocol DataSourceKind: Sendable {
    /// `data.source`'s value ("npy", "dsprites", …).
    var name: String { get }
    /// A built-in set: no path, labels, scale or standardisation.
    var isBuiltIn: Bool { get }
    /// Whether `path` (absolute) is this kind's when the config gives no `data.source`: by its extension, or by
    /// being a folder.
    func claims(path: String) -> Bool
    /// The examples. A built-in set loads itself whole (`path` is nil); a file kind reads `path` with the labels
    /// of `labelsPath` (or the file's own), its values divided as `scale` says.
    func load(_ source: DataSource, path: String?, labelsPath: String?, scale: DataSource.Scale, options: DataReadOptions) throws(DataError) -> Dataset
    /// Hidden sizes, latent size and likelihood when the config gives none.
    var modelDefaults: (hidden: [Int], latent: Int, likelihood: String) { get }
}

extension DataSourceKind {
    public var isBuiltIn: Bool { false }
    public func claims(path: String) -> Bool { false }
    public var modelDefaults: (hidden: [Int], latent: Int, likelihood: String) { ([400], 20, "bernoulli") }
}
