import Testing
@testable import JSONConfig

/// Values from a config in error messages: bounded and escaped. The first case was found by the JSON fuzz
/// target (Tests/AnnealFuzzingTests/Regressions/json/invalid-escape-control-byte): an escape of a control
/// byte printed the byte raw.
@Suite("Values in config error messages")
struct MessageTextTests {
    static func message(_ bytes: [UInt8]) -> String {
        do {
            _ = try JSONParser.parse(bytes: bytes, file: "c.json")
            return "no error"
        } catch {
            return error.description
        }
    }

    @Test("an invalid escape names the byte after the backslash without printing it raw")
    func invalidEscape() {
        #expect(Self.message(Array("[\"a\\".utf8) + [0x01, 0x22, 0x5D]) == "c.json:1:6: invalid JSON: invalid escape sequence '\\' followed by byte 0x1")
        #expect(Self.message(Array("[\"a\\".utf8) + [0xC3, 0xA9, 0x22, 0x5D]) == "c.json:1:6: invalid JSON: invalid escape sequence '\\' followed by byte 0xC3")
        #expect(Self.message(Array("[\"a\\q\"]".utf8)) == "c.json:1:6: invalid JSON: invalid escape sequence '\\q'")
    }

    @Test("a duplicate key is quoted, escaped and cut")
    func duplicateKey() {
        let key = "k\\u001b[2J" + String(repeating: "x", count: 5000)
        let message = Self.message(Array("{\"\(key)\": 1, \"\(key)\": 2}".utf8))
        #expect(message == "c.json:1:5019: invalid JSON: duplicate key \"k\\u001B[2J" + String(repeating: "x", count: 35) + "…\" (first at line 1, column 2)")
    }

    @Test("values and key paths in reader errors are cut after 40 characters, control characters escaped")
    func briefDescriptions() throws {
        let long = String(repeating: "a", count: 100_000)
        #expect(JSONValue.string(long).briefDescription == "\"" + String(repeating: "a", count: 40) + "…\"")
        #expect(JSONValue.string("\u{1B}\u{85}\u{202E}é\"").briefDescription == "\"\\u001B\\u0085\\u202Eé\\\"\"")
        let digits = try JSONParser.parse(String(repeating: "1", count: 1000))
        #expect(digits.briefDescription == String(repeating: "1", count: 40) + "…")
        #expect(JSONValue.string("short").briefDescription == "\"short\"")
        #expect(ConfigKeyPath([.key("training"), .key("bad\u{7}key"), .index(2)]).description == "training.bad\\u0007key[2]")
        let object = try ConfigObject(try JSONParser.parse("{\"n\": \"\(long)\"}"), file: "f.json")
        #expect(throws: ConfigError(file: "f.json", position: SourcePosition(line: 1, column: 7), keyPath: ConfigKeyPath([.key("n")]),
                                    message: "must be a number, got \"" + String(repeating: "a", count: 40) + "…\" (a string)")) {
            try object.number("n")
        }
    }
}
