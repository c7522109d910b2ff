/// One scalar that training reads every step, by name: the KL weight of a term (`beta`, `global_kl_weight`),
/// the learning rate (`lr`), the posterior temperature (`temperature`), a loss term's weight
/// (`radial_weight`), a capacity target (`capacity`).
///
/// Its value comes from a pure schedule, or from a feedback controller that may read that schedule (a
/// homeostatic controller scales it; a PI controller replaces it). The name is the column `anneal schedule`
/// prints, the key in `metrics.jsonl` and the TensorBoard tag's last part.
public struct Quantity: Hashable, Sendable {
    /// What the quantity is for: decides defaults, table order and TensorBoard tags.
    public enum Role: String, Hashable, Sendable {
        case klWeight = "kl_weight"
        case capacity
        case learningRate = "learning_rate"
        case temperature
        case lossWeight = "loss_weight"
        /// A scalar the model itself reads (a dual VAE's `B_contribution`).
        case model
    }

    public var name: String
    public var role: Role
    public var schedule: Schedule
    public var controller: Controller?
    public var evaluation: QuantityEvaluation
    /// The KL or loss term this quantity weighs (nil for one β shared by every KL term, `lr`, `temperature`).
    public var term: String?

    public init(name: String, role: Role, schedule: Schedule, controller: Controller? = nil, evaluation: QuantityEvaluation, term: String? = nil) {
        self.name = name
        self.role = role
        self.schedule = schedule
        self.controller = controller
        self.evaluation = evaluation
        self.term = term
    }

    /// One line for people.
    public var summary: String {
        guard let controller else { return schedule.summary }
        return controller.readsSchedule ? "\(controller.summary) of \(schedule.summary)" : controller.summary
    }

    /// The scheduled value at `progress` (before any controller), at this quantity's granularity.
    @inline(__always)
    public func scheduledValue(at progress: TrainingProgress) -> Double {
        schedule.value(at: evaluation.progress(progress))
    }

    /// The name of a KL term's weight: `<term>_kl_weight`.
    public static func klWeightName(_ term: String) -> String { "\(term)_kl_weight" }
    /// The name of a loss term's weight: `<term>_weight`.
    public static func lossWeightName(_ term: String) -> String { "\(term)_weight" }
}
