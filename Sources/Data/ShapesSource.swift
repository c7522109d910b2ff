/// `data.source: "shapes"`: small procedural binary images of a few shapes (`ProceduralShapes`).
public struct ShapesSource: DataSourceKind {
    public let name = "shapes"
    public var isBuiltIn: Bool { true }
    public var modelDefaults: (hidden: [Int], latent: Int, likelihood: String) { ([256], 8, "bernoulli") }
    public func load(_ source: DataSource, path: String?, labelsPath: String?, scale: DataSource.Scale, options: DataReadOptions) -> Dataset {
        ProceduralShapes.dataset()
    }
}
