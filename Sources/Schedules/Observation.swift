/// What one training step measured, by name, for feedback controllers: `loss` (the optimised objective),
/// `reconstruction` (batch-mean negative log-likelihood), `kl` (total KL, batch mean), `kl.<term>` (each KL
/// term), `<term>` for every other loss term (`radial`), and the model's own measurements (`radius`).
///
/// The names are fixed for a run; the values are overwritten in place every step (no allocation).
public struct Observation: Sendable {
    public let names: [String]
    public var values: [Double]

    public init(names: [String]) {
        self.names = names
        values = [Double](repeating: 0, count: names.count)
    }

    public init(_ pairs: [(String, Double)]) {
        names = pairs.map(\.0)
        values = pairs.map(\.1)
    }

    /// The value of measurement `name`, or nil when this run does not measure it.
    public subscript(name: String) -> Double? {
        guard let index = names.firstIndex(of: name) else { return nil }
        return values[index]
    }
}
