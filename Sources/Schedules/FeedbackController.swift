import JSONConfig

/// A quantity source that reacts to what training measures (ControlVAE's PI controller, GECO, seed 004's
/// homeostatic controller): explicit state, moved by a pure update after each step (ARCHITECTURE.md,
/// principle 2). The state is a `ControllerState` stored in every checkpoint, so a resumed run continues
/// the controller exactly.
///
/// A new controller is one file (a conforming struct with a static `definition`) and one line in
/// `ControllerRegistry.definitions`.
public protocol FeedbackController: Sendable {
    /// The config type name (`"pi"`).
    var typeName: String { get }
    /// Its parameters as a config writes them, without `"type"`.
    var parametersJSON: JSONValue { get }
    /// One line for people.
    var summary: String { get }
    /// Whether the value depends on the quantity's schedule (a controller that scales a scheduled β); when
    /// false the schedule is ignored and not shown.
    var readsSchedule: Bool { get }
    /// The measurement it reacts to (`kl`, `kl.local`, `reconstruction`, …; see `Observation`).
    var measurement: String { get }
    /// The state before the first step.
    func initialState() -> ControllerState
    /// The state after a step that measured `observation`; `scheduled` is the quantity's scheduled value.
    func updated(_ state: ControllerState, observation: Observation, scheduled: Double) -> ControllerState
    /// The quantity's value in `state`.
    func value(in state: ControllerState, scheduled: Double) -> Double
    func isEqual(to other: any FeedbackController) -> Bool
    func hash(into hasher: inout Hasher)
}

extension FeedbackController where Self: Hashable {
    public func isEqual(to other: any FeedbackController) -> Bool {
        (other as? Self) == self
    }
}
