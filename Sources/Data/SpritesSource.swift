/// `data.source: "dsprites"`: dSprites-style images drawn on demand (`SpriteImages`), at `data.resolution`, all of
/// them or a seeded `data.subset`.
public struct SpritesSource: DataSourceKind {
    public let name = "dsprites"
    public var isBuiltIn: Bool { true }
    public var modelDefaults: (hidden: [Int], latent: Int, likelihood: String) { ([400], 10, "bernoulli") }
    public func load(_ source: DataSource, path: String?, labelsPath: String?, scale: DataSource.Scale, options: DataReadOptions) -> Dataset {
        SpriteImages(resolution: source.resolution ?? 64)!.dataset(subset: source.subset, seed: source.subsetSeed ?? 0)
    }
}
