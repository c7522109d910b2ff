import Testing
@testable import Data

@Suite("Values in error messages")
struct DisplayTextTests {
    @Test("short values are quoted whole; quotes, backslashes and control bytes escaped")
    func escaping() {
        #expect(DisplayText.quoted(Array("abc".utf8)) == "\"abc\"")
        #expect(DisplayText.quoted(Array("a\"b\\c".utf8)) == "\"a\\\"b\\\\c\"")
        #expect(DisplayText.quoted([0x00, 0x09, 0x0A, 0x0D, 0x1B, 0x7F]) == "\"\\x00\\t\\n\\r\\x1B\\x7F\"")
        #expect(DisplayText.bare(Array("a\"b".utf8)) == "a\"b")
    }

    @Test("UTF-8 is kept; invalid bytes, C1 controls and invisible or direction-changing characters are escaped")
    func unicode() {
        #expect(DisplayText.quoted("é→𝔸") == "\"é→𝔸\"")
        #expect(DisplayText.quoted([0xC3, 0x28, 0xFF, 0xE2, 0x82]) == "\"\\xC3(\\xFF\\xE2\\x82\"")
        #expect(DisplayText.quoted("a\u{202E}b\u{200B}c\u{85}d\u{FEFF}") == "\"a\\u{202E}b\\u{200B}c\\u{85}d\\u{FEFF}\"")
        #expect(DisplayText.quoted([0xED, 0xA0, 0x80]) == "\"\\xED\\xA0\\x80\"")  // a UTF-16 surrogate is not UTF-8
    }

    @Test("long values are cut after the limit with their length; the work is bounded by the limit, not the value")
    func bounded() {
        let long = [UInt8](repeating: 0x61, count: 50_000_000)
        #expect(DisplayText.quoted(long) == "\"" + String(repeating: "a", count: 40) + "\"… (50000000 bytes)")
        #expect(DisplayText.quoted(Array(String(repeating: "é", count: 41).utf8)) == "\"" + String(repeating: "é", count: 40) + "\"… (82 bytes)")
        #expect(DisplayText.quoted(Array(String(repeating: "é", count: 40).utf8)) == "\"" + String(repeating: "é", count: 40) + "\"")
        #expect(DisplayText.quoted(Array("abcdef".utf8), limit: 3) == "\"abc\"… (6 bytes)")
    }
}
