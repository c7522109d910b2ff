import Foundation
import Testing
@testable import JSONConfig

@Suite("JSONWriter")
struct JSONWriterTests {
    @Test("compact output keeps key order and writes numbers in their shortest exact form")
    func compact() {
        let value = JSONValue.object([
            ("z", .number(0.1)), ("a", .number(40)), ("e", .number(1e-6)), ("s", .string("q\"\\\n\u{01}")),
            ("l", .array([.bool(true), .null])),
        ])
        #expect(JSONWriter.compact(value) == #"{"z":0.1,"a":40,"e":1e-06,"s":"q\"\\\n\u0001","l":[true,null]}"#)
    }

    @Test("pretty output indents objects and keeps arrays of numbers on one line")
    func pretty() {
        let value = JSONValue.object([("knots", .array([.array([.number(0), .number(0.3)]), .array([.number(40), .number(0.8)])])), ("o", .object([("k", .number(1))]))])
        #expect(JSONWriter.pretty(value) == """
        {
          "knots": [[0, 0.3], [40, 0.8]],
          "o": {
            "k": 1
          }
        }

        """)
    }

    @Test("writing and reading back gives the same value, for awkward numbers too")
    func roundTrip() throws {
        let numbers: [Double] = [0.1, 1.0 / 3.0, 1e-300, 5e-324, 1.7976931348623157e308, -2.5, 0, 123456789012345678]
        let value = JSONValue.array(numbers.map { .number($0) })
        let back = try JSONParser.parse(JSONWriter.compact(value))
        #expect(back == value)
        let text = JSONWriter.pretty(.object([("a", value), ("b", .string("é😀"))]))
        #expect(try JSONParser.parse(text) == .object([("a", value), ("b", .string("é😀"))]))
    }
}

@Suite("JSONValue Codable")
struct JSONValueCodableTests {
    @Test("every kind survives JSONEncoder and JSONDecoder")
    func roundTrip() throws {
        let value = JSONValue.object([("a", .array([.null, .bool(true), .number(0.1), .string("x")])), ("b", .object([("c", .number(-3))]))])
        let decoded = try JSONDecoder().decode(JSONValue.self, from: try JSONEncoder().encode(value))
        #expect(decoded["a"] == value["a"])
        #expect(decoded["b"] == value["b"])
    }

    @Test("strings escape DEL, C1 controls and direction overrides too, and still read back exactly (found by fuzzing run configs)")
    func terminalSafeStrings() throws {
        let text = "c\u{7F}sine \u{85}\u{202E}\u{2066}é"
        let written = JSONWriter.quoted(text)
        #expect(written == "\"c\\u007Fsine \\u0085\\u202E\\u2066é\"")
        #expect(try JSONParser.parse(written) == .string(text))
    }
}
