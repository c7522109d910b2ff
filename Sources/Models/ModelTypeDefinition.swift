import JSONConfig

/// How a model type appears in configs: its name, the keys of the model section it reads, and how.
public struct ModelTypeDefinition: Sendable {
    /// What a model reader may use: defaults that depend on the data.
    public struct Context: Sendable {
        /// The latent size when the config gives none (8 for the built-in data, 20 for files).
        public var defaultLatentSize: Int

        public init(defaultLatentSize: Int) {
            self.defaultLatentSize = defaultLatentSize
        }
    }

    public var name: String
    public var meaning: String
    /// The model-section keys this type reads besides the shared ones, so that a key of another type is an
    /// error that says which type it belongs to.
    public var keys: [String]
    public var read: @Sendable (_ section: ConfigObject, _ context: Context) throws(ConfigError) -> any ModelSpecification

    public init(name: String, meaning: String, keys: [String],
                read: @escaping @Sendable (_ section: ConfigObject, _ context: Context) throws(ConfigError) -> any ModelSpecification) {
        self.name = name
        self.meaning = meaning
        self.keys = keys
        self.read = read
    }

    /// A positive size at `key`, or `fallback`.
    public static func size(_ object: ConfigObject, _ key: String, default fallback: Int) throws(ConfigError) -> Int {
        guard let node = object.node(key) else { return fallback }
        let value = try node.integer(minimum: 1)
        if value < 1 { throw node.error("must be at least 1, got \(node.value.briefDescription)") }
        return value
    }
}
