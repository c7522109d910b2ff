import JSONConfig

/// How many generators a run trains (`model.granularity`, seed 001's generator granularity): one model of all
/// the data (`unified`, the default), one per class (`per_class`), or one per named group of classes
/// (`per_group`, with `model.groups`, e.g. `{"animals": [0, 1, 2], "machines": [3, 4]}`). Each generator of a
/// per-class or per-group run is a run folder of its own under `generators/<name>/`.
public enum GeneratorGranularity: Sendable, Equatable {
    case unified
    case perClass
    case perGroup([(name: String, classes: [Int])])

    public static func == (lhs: GeneratorGranularity, rhs: GeneratorGranularity) -> Bool {
        switch (lhs, rhs) {
        case (.unified, .unified), (.perClass, .perClass): return true
        case (.perGroup(let a), .perGroup(let b)): return a.map(\.name) == b.map(\.name) && a.map(\.classes) == b.map(\.classes)
        default: return false
        }
    }

    public var name: String {
        switch self {
        case .unified: return "unified"
        case .perClass: return "per_class"
        case .perGroup: return "per_group"
        }
    }

    /// Reads `model.granularity` and `model.groups`.
    static func read(_ model: ConfigObject) throws(ConfigError) -> GeneratorGranularity {
        let name = try model.node("granularity")?.choice(["unified", "per_class", "per_group"], what: "granularity") ?? "unified"
        let groupsNode = model.node("groups")
        switch name {
        case "per_group":
            guard let groupsNode else {
                throw model.error(at: "granularity", "per_group needs model.groups, the classes of each generator: {\"animals\": [0, 1, 2], \"machines\": [3, 4]}")
            }
            let groups = try groupsNode.object()
            var result: [(name: String, classes: [Int])] = []
            var seen: [Int: String] = [:]
            for key in groups.keys {
                let node = groups.node(key)!
                guard key.range(of: "^[A-Za-z0-9_.-]+$", options: .regularExpression) != nil else {
                    throw node.error("a group's name is its folder's name: letters, digits, '_', '.' and '-', got \(MessageText.quoted(key))")
                }
                var classes: [Int] = []
                for element in try node.array() {
                    let label = try element.integer(minimum: 0)
                    if label < 0 { throw element.error("a class is a label ≥ 0, got \(label)") }
                    if let other = seen[label] { throw element.error("class \(label) is in both \(MessageText.quoted(other)) and \(MessageText.quoted(key)); a class belongs to one generator") }
                    seen[label] = key
                    classes.append(label)
                }
                if classes.isEmpty { throw node.error("a group needs at least one class") }
                result.append((key, classes))
            }
            if result.isEmpty { throw groupsNode.error("needs at least one group") }
            return .perGroup(result)
        default:
            if groupsNode != nil {
                throw model.error(at: "groups", "groups are for granularity \"per_group\"; this model's granularity is \"\(name)\"")
            }
            return name == "per_class" ? .perClass : .unified
        }
    }

    /// The model-section members (`granularity`, and `groups` for per_group).
    var jsonMembers: [(String, JSONValue)] {
        switch self {
        case .unified: return []
        case .perClass: return [("granularity", .string("per_class"))]
        case .perGroup(let groups):
            return [("granularity", .string("per_group")),
                    ("groups", .object(groups.map { ($0.name, .array($0.classes.map { .number($0) })) }))]
        }
    }
}
