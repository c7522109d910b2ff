/// A JSON value together with where it sits (file and key path), with typed readers whose errors
/// name that place, the bad value and what is allowed.
public struct ConfigNode: Sendable {
    public let value: JSONValue
    public let path: ConfigKeyPath
    public let file: String?

    public init(_ value: JSONValue, path: ConfigKeyPath = .root, file: String? = nil) {
        self.value = value
        self.path = path
        self.file = file
    }

    /// An error located at this value.
    public func error(_ message: String) -> ConfigError {
        ConfigError(file: file, position: value.position, keyPath: path, message: message)
    }

    /// A finite number.
    public func number() throws(ConfigError) -> Double {
        guard case .number(let number, let literal) = value.kind else {
            throw error("must be a number, got \(value.briefDescription) (\(value.kindName))")
        }
        guard number.isFinite else {
            throw error("must be a finite number, got \(literal)")
        }
        return number
    }

    /// A whole number (written as `10`, `10.0` or `1e1`), within `Int`'s range.
    public func integer() throws(ConfigError) -> Int {
        let number = try number()
        guard number == number.rounded(), abs(number) < 9.0e15 else {
            throw error("must be a whole number, got \(value.briefDescription)")
        }
        return Int(number)
    }

    public func string() throws(ConfigError) -> String {
        guard case .string(let text) = value.kind else {
            throw error("must be a string, got \(value.briefDescription) (\(value.kindName))")
        }
        return text
    }

    public func bool() throws(ConfigError) -> Bool {
        guard case .bool(let flag) = value.kind else {
            throw error("must be true or false, got \(value.briefDescription) (\(value.kindName))")
        }
        return flag
    }

    /// The elements of an array, each with its indexed path.
    public func array() throws(ConfigError) -> [ConfigNode] {
        guard case .array(let values) = value.kind else {
            throw error("must be an array, got \(value.briefDescription) (\(value.kindName))")
        }
        return values.enumerated().map { ConfigNode($0.element, path: path.appending(index: $0.offset), file: file) }
    }

    public func object() throws(ConfigError) -> ConfigObject {
        try ConfigObject(value, path: path, file: file)
    }

    /// A string that must be one of `allowed`; the error lists them and suggests the nearest.
    public func choice(_ allowed: [String], what: String) throws(ConfigError) -> String {
        let text = try string()
        guard allowed.contains(text) else {
            throw error("unknown \(what) \(MessageText.quoted(text)); \(NearestName.hint(for: text, among: allowed))allowed: \(allowed.joined(separator: ", "))")
        }
        return text
    }
}
