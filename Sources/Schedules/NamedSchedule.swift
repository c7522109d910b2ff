/// A schedule for a named term (`loss_weights`).
public struct NamedSchedule: Hashable, Sendable {
    public var name: String
    public var schedule: Schedule

    public init(name: String, schedule: Schedule) {
        self.name = name
        self.schedule = schedule
    }
}
