import JSONConfig

/// How a controller type appears in configs (`training.controllers.<quantity>.type`) and how it is read.
public struct ControllerTypeDefinition: Sendable {
    /// What a controller reads about the quantity it drives.
    public struct Context: Sendable {
        /// The quantity's name (`beta`, `local_kl_weight`, `reconstruction_weight`).
        public var quantity: String
        /// The measurement a controller of this quantity reacts to unless told otherwise (`kl.local` for a KL
        /// weight, `reconstruction` for the reconstruction weight), or nil when there is no natural one.
        public var defaultMeasurement: String?

        public init(quantity: String, defaultMeasurement: String?) {
            self.quantity = quantity
            self.defaultMeasurement = defaultMeasurement
        }
    }

    public var name: String
    public var meaning: String
    public var read: @Sendable (_ parameters: ConfigObject, _ context: Context) throws(ConfigError) -> any FeedbackController

    public init(name: String, meaning: String, read: @escaping @Sendable (_ parameters: ConfigObject, _ context: Context) throws(ConfigError) -> any FeedbackController) {
        self.name = name
        self.meaning = meaning
        self.read = read
    }

    /// The measurement named by `measure`, else the context's default, else "" (which the run config reports
    /// as a missing `measure` once it knows the quantity exists).
    public static func measurement(_ p: ConfigObject, _ context: Context) throws(ConfigError) -> String {
        if let node = p.node("measure") {
            let name = try node.string()
            if name.isEmpty { throw node.error("must name a measurement (kl, kl.<term>, reconstruction, loss, …)") }
            return name
        }
        return context.defaultMeasurement ?? ""
    }
}
