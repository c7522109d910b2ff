/// `data.source: "ternary_operations"`: every binary operation on three values (`TernaryOperations`).
public struct TernaryOperationsSource: DataSourceKind {
    public let name = "ternary_operations"
    public var isBuiltIn: Bool { true }
    public var modelDefaults: (hidden: [Int], latent: Int, likelihood: String) { ([128, 128], 8, "categorical") }
    public func load(_ source: DataSource, path: String?, labelsPath: String?, scale: DataSource.Scale, options: DataReadOptions) -> Dataset {
        TernaryOperations.dataset()
    }
}
