/// Reads one JSON object of a configuration, key by key, and then rejects any key nobody asked for.
///
/// Every accessor records the key it was asked for, so `finish()` can tell an unknown key (a typo, or a
/// parameter that belongs to another schedule type) from a known one and list the keys allowed here.
/// It is a class because reading is a pass over one object that accumulates which keys were seen.
public final class ConfigObject {
    public let node: ConfigNode
    public let members: [JSONMember]
    private var askedKeys: [String] = []
    private var usedKeys: Set<String> = []

    public var path: ConfigKeyPath { node.path }
    public var file: String? { node.file }

    public init(_ value: JSONValue, path: ConfigKeyPath = .root, file: String? = nil) throws(ConfigError) {
        node = ConfigNode(value, path: path, file: file)
        guard let members = value.members else {
            throw node.error("must be an object ({…}), got \(value.briefDescription) (\(value.kindName))")
        }
        self.members = members
    }

    /// The keys present, in file order.
    public var keys: [String] { members.map(\.key) }

    /// Whether `key` is present (and records it as a key allowed here).
    public func contains(_ key: String) -> Bool {
        ask(key)
        return members.contains { $0.key == key }
    }

    /// The value at `key` with its path, or nil when absent.
    public func node(_ key: String) -> ConfigNode? {
        ask(key)
        guard let member = members.first(where: { $0.key == key }) else { return nil }
        usedKeys.insert(key)
        return ConfigNode(member.value, path: path.appending(key), file: file)
    }

    /// The value at `key`; a missing key is an error that says what the key is for.
    public func required(_ key: String, _ meaning: String) throws(ConfigError) -> ConfigNode {
        guard let node = node(key) else {
            throw missing([key], "missing required key \"\(key)\" (\(meaning))")
        }
        return node
    }

    /// The error for a required key (one of `keys`) that is absent. When a key nobody asked for looks like a
    /// typo of one of them (`cycle_lenght`), the error points at that key and says so; otherwise it is
    /// `message`, located at this object.
    public func missing(_ keys: [String], _ message: String) -> ConfigError {
        for member in members where !askedKeys.contains(member.key) && !usedKeys.contains(member.key) {
            if let suggestion = NearestName.suggestion(for: member.key, among: keys) {
                return ConfigError(
                    file: file, position: member.keyPosition, keyPath: path.appending(member.key),
                    message: "unknown key; did you mean '\(suggestion)'? Without it: \(message)")
            }
        }
        return error(message)
    }

    public func number(_ key: String) throws(ConfigError) -> Double? { try node(key)?.number() }
    public func number(_ key: String, default fallback: Double) throws(ConfigError) -> Double { try number(key) ?? fallback }
    public func integer(_ key: String, minimum: Int? = nil) throws(ConfigError) -> Int? { try node(key)?.integer(minimum: minimum) }
    public func string(_ key: String) throws(ConfigError) -> String? { try node(key)?.string() }
    public func bool(_ key: String) throws(ConfigError) -> Bool? { try node(key)?.bool() }
    public func object(_ key: String) throws(ConfigError) -> ConfigObject? { try node(key)?.object() }

    /// The object at `key`, or an empty object standing in for it (all defaults) when the key is absent.
    public func section(_ key: String) throws(ConfigError) -> ConfigObject {
        if let node = node(key) { return try node.object() }
        return try ConfigObject(JSONValue(.object([]), position: node.value.position), path: path.appending(key), file: file)
    }

    /// Of `keys`, the one that is present; nil when none is; an error naming both when two are.
    public func oneOf(_ keys: [String]) throws(ConfigError) -> String? {
        let present = keys.filter { contains($0) }
        if present.count > 1 {
            let node = node(present[1])!
            throw node.error("give only one of \(keys.joined(separator: ", ")); this config gives both \(present[0]) and \(present[1])")
        }
        return present.first
    }

    /// An error located at this object.
    public func error(_ message: String) -> ConfigError {
        node.error(message)
    }

    /// An error located at the value of `key` (or at this object when the key is absent).
    public func error(at key: String, _ message: String) -> ConfigError {
        if let member = members.first(where: { $0.key == key }) {
            return ConfigError(file: file, position: member.value.position, keyPath: path.appending(key), message: message)
        }
        return error(message)
    }

    /// Throws for the first key that no accessor asked for, listing the keys allowed here.
    /// `context` names the thing being configured ("cyclical schedule").
    public func finish(context: String) throws(ConfigError) {
        ConfigKeyRecorder.current?.record(context: context, keys: askedKeys)
        for member in members where !usedKeys.contains(member.key) && !askedKeys.contains(member.key) {
            let allowed = askedKeys
            let hint = NearestName.hint(for: member.key, among: allowed)
            let list = allowed.isEmpty ? "it takes no parameters" : "allowed keys: \(allowed.joined(separator: ", "))"
            throw ConfigError(
                file: file, position: member.keyPosition, keyPath: path.appending(member.key),
                message: "unknown key for the \(context); \(hint)\(list)")
        }
    }

    private func ask(_ key: String) {
        if !askedKeys.contains(key) { askedKeys.append(key) }
    }
}
