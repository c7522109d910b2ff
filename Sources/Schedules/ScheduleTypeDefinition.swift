import JSONConfig

/// How a schedule type appears in configs: its names, what it does, and how its parameters are read.
/// Each schedule file declares one; `ScheduleRegistry.definitions` lists them.
public struct ScheduleTypeDefinition: Sendable {
    /// Config names this definition reads (`linear`, `cosine`, `exponential` for the ramps). The reader is
    /// told which one was written.
    public var names: [String]
    /// One line for help texts: what the type does.
    public var meaning: String
    /// Whether `warm_restart` may wrap it (a restart inside a restart is not a thing).
    public var restartable: Bool
    /// Reads the parameters (every key of the object except `"type"`), with errors that name the key path.
    public var read: @Sendable (_ name: String, _ parameters: ConfigObject, _ reader: ScheduleReader) throws(ConfigError) -> any ScheduleKind

    public init(names: [String], meaning: String, restartable: Bool = true,
                read: @escaping @Sendable (_ name: String, _ parameters: ConfigObject, _ reader: ScheduleReader) throws(ConfigError) -> any ScheduleKind) {
        self.names = names
        self.meaning = meaning
        self.restartable = restartable
        self.read = read
    }
}
