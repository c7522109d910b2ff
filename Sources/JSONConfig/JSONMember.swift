/// One `"key": value` pair of a JSON object, with the position of its key.
public struct JSONMember: Sendable, Equatable {
    public var key: String
    public var keyPosition: SourcePosition?
    public var value: JSONValue

    public init(key: String, keyPosition: SourcePosition? = nil, value: JSONValue) {
        self.key = key
        self.keyPosition = keyPosition
        self.value = value
    }

    public static func == (lhs: JSONMember, rhs: JSONMember) -> Bool {
        lhs.key == rhs.key && lhs.value == rhs.value
    }
}
