/// Something about a schedule that a user needs to know before spending a run on it, such as a warm-up that
/// cannot reach `max_beta` within `num_epochs` (users hit this silently elsewhere: scverse/scvi-tools #1569).
public struct ScheduleWarning: Hashable, Sendable, CustomStringConvertible {
    /// The quantity the warning is about: `beta`, `global_kl_weight`, `lr`.
    public var subject: String
    public var message: String

    public init(subject: String, message: String) {
        self.subject = subject
        self.message = message
    }

    public var description: String { "\(subject): \(message)" }
}
