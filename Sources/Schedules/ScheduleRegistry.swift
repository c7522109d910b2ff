/// Every schedule type a config may name, in the order help texts list them. Adding a schedule type is one
/// line here (its file declares the `definition`).
public enum ScheduleRegistry {
    public static let definitions: [ScheduleTypeDefinition] = [
        ConstantSchedule.definition,
        RampSchedule.definition,
        SigmoidSchedule.definition,
        CyclicalSchedule.definition,
        WarmRestartSchedule.definition,
        AdaptiveWarmupSchedule.definition,
        PiecewiseSchedule.definition,
        JoinedSchedule.definition,
        RepeatedSchedule.definition,
        ScaledSchedule.definition,
        ClampedSchedule.definition,
        StepDecaySchedule.definition,
        ExponentialDecaySchedule.definition,
        CosineAnnealingSchedule.definition,
        CosineWarmRestartsSchedule.definition,
        LinearWarmupSchedule.definition,
    ]

    /// Multi-term forms of `beta_scheduler_type`: not schedules themselves, but one schedule per KL term.
    public static let multiTermNames = ["hierarchical", "per_term"]

    /// Every schedule name, in registry order.
    public static var names: [String] { definitions.flatMap(\.names) }

    /// Names a warm restart may wrap.
    public static var restartableNames: [String] { definitions.filter(\.restartable).flatMap(\.names) }

    /// The definition that reads `name`.
    public static func definition(named name: String) -> ScheduleTypeDefinition? {
        definitions.first { $0.names.contains(name) }
    }
}
