/// Every layer type a network's config may name, in the order help texts list them. A new layer type is a file
/// with its `LayerTypeDefinition` and one line here.
public enum LayerRegistry {
    public static let definitions: [LayerTypeDefinition] = [
        Dense<Float>.definition,
        Conv2d<Float>.definition,
        ConvTranspose2d<Float>.definition,
    ]

    public static var names: [String] { definitions.map(\.name) }

    public static func definition(named name: String) -> LayerTypeDefinition? { definitions.first { $0.name == name } }
}
