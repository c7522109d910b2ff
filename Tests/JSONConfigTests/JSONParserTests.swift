import Testing
@testable import JSONConfig

@Suite("JSONParser")
struct JSONParserTests {
    @Test("parses every JSON value kind, keeping key order and positions")
    func parsesValues() throws {
        let text = """
        {
          "b": 1,
          "a": [true, false, null, -0.5e2, "x\\n\\u00e9\\ud83d\\ude00"],
          "c": {}
        }
        """
        let value = try JSONParser.parse(text)
        #expect(value.members?.map(\.key) == ["b", "a", "c"])
        #expect(value["b"] == .number(1))
        let array = value["a"]!
        guard case .array(let items) = array.kind else { Issue.record("not an array"); return }
        #expect(items[0] == .bool(true))
        #expect(items[1] == .bool(false))
        #expect(items[2] == .null)
        #expect(items[3] == .number(-50))
        #expect(items[4] == .string("x\né😀"))
        #expect(value["c"] == .object([]))
        // Positions: line 2 column 8 is the 1 after "b": (1-based, counting scalars).
        #expect(value["b"]?.position == SourcePosition(line: 2, column: 8))
        #expect(value.members?[1].keyPosition == SourcePosition(line: 3, column: 3))
    }

    @Test("numbers are read exactly, and literals are kept for messages")
    func numbers() throws {
        let value = try JSONParser.parse("[0.1, 1e-3, 123456789012, 2.5E+1, -0]")
        guard case .array(let items) = value.kind else { Issue.record("not an array"); return }
        #expect(items.map { if case .number(let n, _) = $0.kind { return n } else { return .nan } } == [0.1, 0.001, 123456789012, 25, 0])
        if case .number(_, let literal) = items[1].kind { #expect(literal == "1e-3") }
    }

    @Test("Python's NaN and Infinity tokens are read, so they can be rejected at their key")
    func nonFiniteTokens() throws {
        let value = try JSONParser.parse(#"{"a": NaN, "b": Infinity, "c": -Infinity, "d": 1e400}"#)
        if case .number(let n, let literal) = value["a"]!.kind { #expect(n.isNaN); #expect(literal == "NaN") }
        if case .number(let n, _) = value["b"]!.kind { #expect(n == .infinity) }
        if case .number(let n, _) = value["c"]!.kind { #expect(n == -.infinity) }
        if case .number(let n, let literal) = value["d"]!.kind { #expect(n == .infinity); #expect(literal == "1e400") }
    }

    /// Each malformed document, the line and column of the error, and a phrase of the message.
    static let malformed: [(String, Int, Int, String)] = [
        ("", 1, 1, "the file is empty"),
        ("   \n  ", 2, 3, "the file is empty"),
        ("{", 1, 2, "unexpected end of file"),
        ("{\"a\": 1,}", 1, 9, "trailing comma before '}'"),
        ("[1, 2,]", 1, 7, "trailing comma before ']'"),
        ("{\"a\" 1}", 1, 6, "expected ':' after the key \"a\""),
        ("{\"a\": 1 \"b\": 2}", 1, 9, "expected ',' or '}'"),
        ("{'a': 1}", 1, 2, "expected a key in double quotes"),
        ("{\"a\": 'x'}", 1, 7, "double quotes"),
        ("{\"a\": True}", 1, 7, "lowercase"),
        ("{\"a\": 01}", 1, 7, "leading zeros"),
        ("{\"a\": 1.}", 1, 7, "expected a digit after '.'"),
        ("{\"a\": \"x\ny\"}", 1, 9, "line break inside a string"),
        ("{\"a\": \"x", 1, 9, "unterminated string"),
        ("{\"a\": \"\\q\"}", 1, 10, "invalid escape sequence"),
        ("{\"a\": 1} x", 1, 10, "after the end of the JSON document"),
        ("// comment\n{}", 1, 1, "comments are not allowed"),
        ("{\"a\": 1, \"a\": 2}", 1, 10, "duplicate key \"a\" (first at line 1, column 2)"),
        ("{\n  \"a\": nul\n}", 2, 8, "expected 'null'"),
    ]

    @Test("malformed JSON is an error with line and column", arguments: malformed)
    func malformedDocuments(text: String, line: Int, column: Int, phrase: String) {
        #expect {
            _ = try JSONParser.parse(text, file: "c.json")
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            let matches = error.position == SourcePosition(line: line, column: column) && error.message.contains(phrase) && error.file == "c.json"
            if !matches { Issue.record("got \(error)") }
            return matches
        }
    }

    @Test("the error text reads like a compiler diagnostic")
    func errorText() {
        do {
            _ = try JSONParser.parse("{\"a\": 1,}", file: "run.json")
            Issue.record("no error")
        } catch {
            #expect(error.description == "run.json:1:9: invalid JSON: trailing comma before '}'")
        }
    }

    @Test("deep nesting is refused, not a stack overflow")
    func depthLimit() {
        let text = String(repeating: "[", count: JSONParser.maximumDepth + 1) + String(repeating: "]", count: JSONParser.maximumDepth + 1)
        #expect(throws: ConfigError.self) { try JSONParser.parse(text) }
        let ok = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: Never.self) { try JSONParser.parse(ok) }
    }

    @Test("a byte-order mark is skipped")
    func byteOrderMark() throws {
        let value = try JSONParser.parse(bytes: [0xEF, 0xBB, 0xBF] + Array("{\"a\": 1}".utf8))
        #expect(value["a"] == .number(1))
    }
}
