/// A controller's memory between steps: named numbers in a fixed order (an integrator, moving averages, the
/// current output), so it is `Codable` without any per-controller checkpoint code, printable, and logged as
/// it is (`metrics.jsonl`'s `controllers`, TensorBoard's `Controller/<quantity>/<name>`).
public struct ControllerState: Codable, Hashable, Sendable, CustomStringConvertible {
    public struct Entry: Codable, Hashable, Sendable {
        public var name: String
        public var value: Double

        public init(name: String, value: Double) {
            self.name = name
            self.value = value
        }
    }

    public var entries: [Entry]

    public init(_ entries: [(String, Double)]) {
        self.entries = entries.map { Entry(name: $0.0, value: $0.1) }
    }

    /// The value named `name` (0 when absent).
    public subscript(name: String) -> Double {
        get { entries.first { $0.name == name }?.value ?? 0 }
        set {
            if let index = entries.firstIndex(where: { $0.name == name }) { entries[index].value = newValue } else { entries.append(Entry(name: name, value: newValue)) }
        }
    }

    public var description: String { entries.map { "\($0.name) \(Format.short($0.value))" }.joined(separator: ", ") }
}
