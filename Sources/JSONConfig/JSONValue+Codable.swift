/// `JSONValue` through `Codable`, so values built on it can be stored with `JSONEncoder` / `JSONDecoder`
/// (or any other coder). Object key order is kept when encoding; when decoding it is whatever order the
/// decoder reports.
extension JSONValue: Codable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: Decoder) throws {
        if let object = try? decoder.container(keyedBy: Key.self) {
            var members: [JSONMember] = []
            for key in object.allKeys {
                members.append(JSONMember(key: key.stringValue, value: try object.decode(JSONValue.self, forKey: key)))
            }
            self.init(.object(members))
            return
        }
        if var array = try? decoder.unkeyedContainer() {
            var values: [JSONValue] = []
            while !array.isAtEnd { values.append(try array.decode(JSONValue.self)) }
            self.init(.array(values))
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self.init(.null)
        } else if let flag = try? single.decode(Bool.self) {
            self.init(.bool(flag))
        } else if let number = try? single.decode(Double.self) {
            self = .number(number)
        } else {
            self.init(.string(try single.decode(String.self)))
        }
    }

    public func encode(to encoder: Encoder) throws {
        switch kind {
        case .null:
            var single = encoder.singleValueContainer()
            try single.encodeNil()
        case .bool(let flag):
            var single = encoder.singleValueContainer()
            try single.encode(flag)
        case .number(let number, _):
            var single = encoder.singleValueContainer()
            try single.encode(number)
        case .string(let text):
            var single = encoder.singleValueContainer()
            try single.encode(text)
        case .array(let values):
            var array = encoder.unkeyedContainer()
            for value in values { try array.encode(value) }
        case .object(let members):
            var object = encoder.container(keyedBy: Key.self)
            for member in members { try object.encode(member.value, forKey: Key(stringValue: member.key)) }
        }
    }
}
