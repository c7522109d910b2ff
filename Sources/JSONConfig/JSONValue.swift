/// A parsed JSON value that remembers where it came from and keeps object keys in file order.
///
/// Equality compares values only (numbers by value, objects member by member in order), never positions.
public struct JSONValue: Sendable, Equatable, CustomStringConvertible {
    public indirect enum Kind: Sendable, Equatable {
        case null
        case bool(Bool)
        /// A number; `literal` is the text as written (`1e-3`, `NaN`), used in error messages.
        case number(Double, literal: String)
        case string(String)
        case array([JSONValue])
        case object([JSONMember])

        public static func == (lhs: Kind, rhs: Kind) -> Bool {
            switch (lhs, rhs) {
            case (.null, .null): return true
            case let (.bool(a), .bool(b)): return a == b
            case let (.number(a, _), .number(b, _)): return a == b || (a.isNaN && b.isNaN)
            case let (.string(a), .string(b)): return a == b
            case let (.array(a), .array(b)): return a == b
            case let (.object(a), .object(b)): return a == b
            default: return false
            }
        }
    }

    public var kind: Kind
    /// Where the value starts in its source text; nil for values built in code.
    public var position: SourcePosition?

    public init(_ kind: Kind, position: SourcePosition? = nil) {
        self.kind = kind
        self.position = position
    }

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.kind == rhs.kind }

    // MARK: Building values in code

    public static let null = JSONValue(.null)
    public static func bool(_ value: Bool) -> JSONValue { JSONValue(.bool(value)) }
    public static func string(_ value: String) -> JSONValue { JSONValue(.string(value)) }
    public static func array(_ values: [JSONValue]) -> JSONValue { JSONValue(.array(values)) }

    /// A number; its literal is Swift's shortest round-trip spelling, so writing it back is exact.
    public static func number(_ value: Double) -> JSONValue {
        JSONValue(.number(value, literal: JSONValue.literal(for: value)))
    }

    public static func number(_ value: Int) -> JSONValue {
        JSONValue(.number(Double(value), literal: String(value)))
    }

    /// An object with members in the given order.
    public static func object(_ members: [(String, JSONValue)]) -> JSONValue {
        JSONValue(.object(members.map { JSONMember(key: $0.0, value: $0.1) }))
    }

    /// The shortest text that reads back as exactly `value` (integers without a fraction).
    /// The shortest exact text of a finite number: integers without a fraction (`70`), others in Swift's
    /// round-trip form (`0.2`, `1e-06`).
    public static func literalText(_ value: Double) -> String { literal(for: value) }

    /// Whether `literal` is a JSON integer in digits, with an optional minus sign.
    static func isIntegerLiteral(_ literal: String) -> Bool {
        let digits = literal.hasPrefix("-") ? literal.utf8.dropFirst() : literal.utf8[...]
        return !digits.isEmpty && digits.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    static func literal(for value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    // MARK: Reading

    /// The members of an object, or nil.
    public var members: [JSONMember]? {
        if case .object(let members) = kind { return members }
        return nil
    }

    /// The value for `key` in an object (the first, keys are unique after parsing), or nil.
    public subscript(key: String) -> JSONValue? {
        members?.first(where: { $0.key == key })?.value
    }

    /// The name of this value's JSON type, for messages: "a number", "an object", …
    public var kindName: String {
        switch kind {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// A short rendering of the value for error messages: literals as written, cut after 40 characters with
    /// control and invisible characters escaped (a message never holds a huge or raw value); containers
    /// abbreviated.
    public var briefDescription: String {
        switch kind {
        case .null: return "null"
        case .bool(let value): return String(value)
        case .number(_, let literal): return MessageText.bare(literal)
        case .string(let value): return MessageText.quoted(value)
        case .array(let values): return values.isEmpty ? "[]" : "an array of \(values.count)"
        case .object(let members): return members.isEmpty ? "{}" : "an object"
        }
    }

    /// Compact JSON text.
    public var description: String { JSONWriter.compact(self) }
}
