import JSONConfig

/// The differences between two resolved configs, key path by key path (`training.learning_rate: 0.003 →
/// 0.001`), so a resumed run can say exactly what was edited since it started.
public struct ConfigDifference: Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var old: String
    public var new: String

    public var description: String { "\(path) \(old) → \(new)" }

    /// Every leaf that differs, in document order; a key present on one side only shows as absent on the other.
    public static func between(_ old: JSONValue, _ new: JSONValue, path: String = "") -> [ConfigDifference] {
        switch (old.kind, new.kind) {
        case (.object(let a), .object(let b)):
            var result: [ConfigDifference] = []
            var keys = a.map(\.key)
            for member in b where !keys.contains(member.key) { keys.append(member.key) }
            for key in keys {
                let child = path.isEmpty ? key : "\(path).\(key)"
                switch (a.first { $0.key == key }?.value, b.first { $0.key == key }?.value) {
                case (let x?, let y?): result += between(x, y, path: child)
                case (let x?, nil): result.append(ConfigDifference(path: child, old: text(x), new: "(absent)"))
                case (nil, let y?): result.append(ConfigDifference(path: child, old: "(absent)", new: text(y)))
                default: break
                }
            }
            return result
        default:
            return text(old) == text(new) ? [] : [ConfigDifference(path: path, old: text(old), new: text(new))]
        }
    }

    static func text(_ value: JSONValue) -> String {
        let compact = JSONWriter.compact(value)
        return compact.count > 80 ? String(compact.prefix(77)) + "…" : compact
    }
}
