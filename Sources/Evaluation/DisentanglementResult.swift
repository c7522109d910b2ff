/// What every disentanglement metric reports, so a command can print any of them the same way: the figures,
/// the definition they follow, the sample sizes they used, the seed of their draws and notes (fallbacks,
/// skipped factors, figures that are not defined and why).
public protocol DisentanglementResult: Sendable {
    /// The metric's name for people (`MIG`, `FactorVAE score`).
    var name: String { get }
    /// The metric's key in JSON and in `--metrics` (`mig`, `factor_vae`).
    var key: String { get }
    /// The definition followed, with its source.
    var definition: String { get }
    /// The figures: a snake_case key, a label, and the value (nil when it is not defined; a note says why).
    var figures: [(key: String, label: String, value: Double?)] { get }
    /// How many examples, batches or votes each part used (snake_case keys).
    var sampleSizes: [(key: String, count: Int)] { get }
    /// The seed of the metric's random draws (nil for a metric that draws nothing).
    var seed: UInt64? { get }
    var notes: [String] { get }
}
