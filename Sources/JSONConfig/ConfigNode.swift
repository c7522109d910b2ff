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

    /// A whole number (written as `10`, `10.0` or `1e1`) of magnitude below 9·10¹⁵, where every whole number
    /// is exact in a double. `minimum` only words the out-of-range error for keys that cannot be negative
    /// ("from 1 to 9000000000000000"); the caller checks it, with its own message.
    public func integer(minimum: Int? = nil) throws(ConfigError) -> Int {
        let number = try number()
        guard number == number.rounded() else {
            throw error("must be a whole number, got \(value.briefDescription)")
        }
        guard abs(number) < 9.0e15 else {
            throw error("must be a whole number \(minimum.map { "from \($0)" } ?? "between -9000000000000000") \(minimum == nil ? "and" : "to") 9000000000000000, got \(value.briefDescription)")
        }
        return Int(number)
    }

    /// A whole number from 0 to 2⁶³ − 1 (a seed such as 9223372036854775807), read exactly from its literal
    /// when written in digits, since a double would round it; otherwise as `integer()` reads it.
    public func nonNegativeInteger() throws(ConfigError) -> Int {
        if case .number(_, let literal) = value.kind, !literal.isEmpty, literal.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            guard let exact = Int(literal) else {
                throw error("must be a whole number from 0 to 9223372036854775807, got \(value.briefDescription)")
            }
            return exact
        }
        let number = try integer()
        if number < 0 { throw error("must be ≥ 0, got \(value.briefDescription)") }
        return number
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
