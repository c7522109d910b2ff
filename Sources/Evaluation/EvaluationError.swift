/// Why a metric cannot be computed from the inputs it was given, in words a caller can print as they are:
/// `PRDC: the real set has 5 rows; k = 5 needs at least 6 (each point's k-th nearest other point)`.
public struct EvaluationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The metric that refused, as it names itself in its description (`PRDC`, `MMD²`, `Fréchet distance`…).
    public var metric: String
    /// What is wrong, and where.
    public var message: String

    public init(metric: String, _ message: String) {
        self.metric = metric
        self.message = message
    }

    public var description: String { "\(metric): \(message)" }
}
