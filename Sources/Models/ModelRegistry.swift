/// Every model type a config may name (`model.type`). Adding one is one line here.
public enum ModelRegistry {
    public static let definitions: [ModelTypeDefinition] = [
        VAE.definition,
        ConditionalVAE.definition,
        HierarchicalCVAE.definition,
        DualVAE.definition,
    ]

    public static var names: [String] { definitions.map(\.name) }

    public static func definition(named name: String) -> ModelTypeDefinition? {
        definitions.first { $0.name == name }
    }
}
