import JSONConfig

/// How a sampler appears in configs (`training.sampler.type`) and how it is read.
public struct SamplerDefinition: Sendable {
    public var name: String
    public var meaning: String
    public var read: @Sendable (_ parameters: ConfigObject) throws(ConfigError) -> any Sampler

    public init(name: String, meaning: String, read: @escaping @Sendable (_ parameters: ConfigObject) throws(ConfigError) -> any Sampler) {
        self.name = name
        self.meaning = meaning
        self.read = read
    }
}
