import JSONConfig

/// Every feedback controller type a config may name. Adding one is one line here (its file declares the
/// `definition`).
public enum ControllerRegistry {
    public static let definitions: [ControllerTypeDefinition] = [
        PIController.definition,
        HomeostaticController.definition,
        GECOController.definition,
    ]

    public static var names: [String] { definitions.map(\.name) }

    /// Reads `{"type": NAME, …}` for the quantity described by `context`.
    public static func read(_ node: ConfigNode, context: ControllerTypeDefinition.Context) throws(ConfigError) -> Controller {
        let object = try node.object()
        let typeNode = try object.required("type", "the controller type: \(names.joined(separator: ", "))")
        let name = try typeNode.choice(names, what: "controller type")
        let definition = definitions.first { $0.name == name }!
        let controller = try definition.read(object, context)
        try object.finish(context: "\(name) controller")
        return Controller(controller)
    }
}
