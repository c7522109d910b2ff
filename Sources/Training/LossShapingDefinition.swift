import JSONConfig
import Schedules

/// How a term shaping appears in configs: its training-section key and how it is read.
public struct LossShapingDefinition: Sendable {
    /// What reading a shaping gives the run.
    public struct Setup: Sendable {
        public var shaping: any TermShaping
        /// Quantities it adds to the run (capacity annealing's `capacity`).
        public var quantities: [Quantity]
        /// Whether it replaces the KL weights (capacity annealing: γ·|KL − C| instead of β·KL).
        public var replacesKLWeight: Bool

        public init(shaping: any TermShaping, quantities: [Quantity] = [], replacesKLWeight: Bool = false) {
            self.shaping = shaping
            self.quantities = quantities
            self.replacesKLWeight = replacesKLWeight
        }
    }

    public var key: String
    public var meaning: String
    /// Reads the value at `key`; nil when it turns the shaping off (`null`, or a floor of 0).
    public var read: @Sendable (_ node: ConfigNode, _ reader: ScheduleReader) throws(ConfigError) -> Setup?

    public init(key: String, meaning: String, read: @escaping @Sendable (_ node: ConfigNode, _ reader: ScheduleReader) throws(ConfigError) -> Setup?) {
        self.key = key
        self.meaning = meaning
        self.read = read
    }
}
