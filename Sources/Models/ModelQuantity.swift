/// A scalar a model reads at every forward pass besides the temperature, scheduled like any quantity of the
/// run (by phases, or a controller): a dual VAE's `B_contribution`, the scale of block B's code in the
/// decoder's input. The model gets its value through `ForwardContext.modelQuantities`.
public struct ModelQuantity: Hashable, Sendable {
    public var name: String
    /// The value when nothing schedules it.
    public var defaultValue: Double
    /// What it does, for help and errors.
    public var meaning: String

    public init(name: String, defaultValue: Double, meaning: String) {
        self.name = name
        self.defaultValue = defaultValue
        self.meaning = meaning
    }
}
