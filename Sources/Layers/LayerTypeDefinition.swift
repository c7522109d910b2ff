import JSONConfig

/// A registered layer type: its config name (the key of its stage in a network's section), what it is, and how an
/// entry of its stage is read.
public struct LayerTypeDefinition: Sendable {
    public let name: String
    public let meaning: String
    /// The entry's keys, for the config reference.
    public let keys: [String]
    public let read: @Sendable (ConfigNode) throws(ConfigError) -> any LayerSpecification

    public init(name: String, meaning: String, keys: [String], read: @escaping @Sendable (ConfigNode) throws(ConfigError) -> any LayerSpecification) {
        self.name = name
        self.meaning = meaning
        self.keys = keys
        self.read = read
    }
}
