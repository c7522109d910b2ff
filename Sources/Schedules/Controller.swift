import JSONConfig

/// A feedback controller as a value (wrapping one `FeedbackController`), for quantities and configs.
public struct Controller: Hashable, Sendable, CustomStringConvertible {
    public let kind: any FeedbackController

    public init(_ kind: any FeedbackController) {
        self.kind = kind
    }

    public static func == (lhs: Controller, rhs: Controller) -> Bool { lhs.kind.isEqual(to: rhs.kind) }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind.typeName)
        kind.hash(into: &hasher)
    }

    public var typeName: String { kind.typeName }
    public var summary: String { kind.summary }
    public var readsSchedule: Bool { kind.readsSchedule }
    public var measurement: String { kind.measurement }
    public func initialState() -> ControllerState { kind.initialState() }

    @inline(__always)
    public func value(in state: ControllerState, scheduled: Double) -> Double { kind.value(in: state, scheduled: scheduled) }

    public func updated(_ state: ControllerState, observation: Observation, scheduled: Double) -> ControllerState {
        kind.updated(state, observation: observation, scheduled: scheduled)
    }

    /// `{"type": NAME, …parameters}`.
    public var json: JSONValue {
        .object([("type", .string(typeName))] + (kind.parametersJSON.members ?? []).map { ($0.key, $0.value) })
    }

    public var description: String { json.description }
}
