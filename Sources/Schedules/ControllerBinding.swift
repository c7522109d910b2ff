import JSONConfig

/// A controller named in `training.controllers` for one quantity, with where the config said it (so a name
/// that matches no quantity of the run is an error pointing at it).
public struct ControllerBinding: Hashable, Sendable {
    public var quantity: String
    public var controller: Controller
    public var node: ConfigNode

    public init(quantity: String, controller: Controller, node: ConfigNode) {
        self.quantity = quantity
        self.controller = controller
        self.node = node
    }

    public static func == (lhs: ControllerBinding, rhs: ControllerBinding) -> Bool {
        lhs.quantity == rhs.quantity && lhs.controller == rhs.controller
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(quantity)
        hasher.combine(controller)
    }

    /// What a controller of `quantity` reacts to by default.
    public static func defaultMeasurement(for quantity: String) -> String? {
        if quantity == "beta" { return "kl" }
        if quantity.hasSuffix("_kl_weight") { return "kl." + quantity.dropLast("_kl_weight".count) }
        if quantity == "reconstruction_weight" { return "reconstruction" }
        return nil
    }
}
