/// Every shaping of the KL terms a config may give (each under its own training key; at most one per run).
/// Adding one is one line here.
public enum LossShapingRegistry {
    public static let definitions: [LossShapingDefinition] = [
        FreeBits.definition,
        CapacityAnnealing.definition,
    ]

    public static var keys: [String] { definitions.map(\.key) }
}
