import JSONConfig

/// Every sampler a config may name (`training.sampler`). Adding one is one line here.
public enum SamplerRegistry {
    public static let definitions: [SamplerDefinition] = [
        ShuffledSampler.definition,
        CurriculumSampler.definition,
        StratifiedSampler.definition,
    ]

    public static var names: [String] { definitions.map(\.name) }

    /// Reads `{"type": NAME, …}` (or just the name as a string).
    public static func read(_ node: ConfigNode) throws(ConfigError) -> any Sampler {
        if case .string = node.value.kind {
            let name = try node.choice(names, what: "sampler")
            let empty = try ConfigObject(JSONValue(.object([]), position: node.value.position), path: node.path, file: node.file)
            return try definitions.first { $0.name == name }!.read(empty)
        }
        let object = try node.object()
        let name = try object.required("type", "the sampler: \(names.joined(separator: ", "))").choice(names, what: "sampler")
        let sampler = try definitions.first { $0.name == name }!.read(object)
        try object.finish(context: "\(name) sampler")
        return sampler
    }
}
