/// One named phase of training (`training.phases[i]`): from `startEpoch` until the next phase starts, it sets
/// the schedules of the quantities it names. A quantity a phase does not name keeps its course: the schedule
/// it had continues on its own clock.
///
/// Each schedule of a phase sees the epochs since the phase began (`t − startEpoch`, as a `join` piece), so
/// `{"type": "linear", "min_beta": 0.3, "max_beta": 0.8, "warmup_epochs": 40}` in a phase starting at epoch 0
/// rises over that phase, and `*_ratio` and `num_cycles` resolve against the phase's length.
public struct Phase: Hashable, Sendable {
    public var name: String
    public var startEpoch: Int
    /// The quantities this phase sets (`beta`, `<term>_kl_weight`, `temperature`, `lr`, `<term>_weight`, …).
    public var quantities: [NamedSchedule]

    public init(name: String, startEpoch: Int, quantities: [NamedSchedule]) {
        self.name = name
        self.startEpoch = startEpoch
        self.quantities = quantities
    }
}
