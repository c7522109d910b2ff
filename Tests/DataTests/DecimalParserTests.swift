import Foundation
import Testing
@testable import Data

@Suite("Decimal numbers from bytes")
struct DecimalParserTests {
    /// `DecimalParser`'s value for `field` followed by a comma, taking the general path as the reader does.
    static func parse(_ field: String) -> Double? {
        let bytes = Array(field.utf8) + [0x2C]
        return bytes.withUnsafeBufferPointer { buffer in
            if let (value, delimiter) = DecimalParser.parseField(buffer.baseAddress!) {
                #expect(delimiter == buffer.baseAddress! + buffer.count - 1, "\(field)")
                return value
            }
            return DecimalParser.parseGeneral(UnsafeBufferPointer(rebasing: buffer.dropLast()))
        }
    }

    /// What the reader must give: `Double(String)` of the field trimmed (nil for NUL, which it stopped at, and
    /// for hexadecimal, which CSV readers elsewhere take for text).
    static func reference(_ field: String) -> Double? {
        let trimmed = field.trimmingCharacters(in: .whitespaces)
        let unsigned = trimmed.hasPrefix("-") || trimmed.hasPrefix("+") ? trimmed.dropFirst() : Substring(trimmed)
        if unsigned.lowercased().hasPrefix("0x") { return nil }
        return field.utf8.contains(0) ? nil : Double(trimmed)
    }

    static func same(_ a: Double?, _ b: Double?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case let (x?, y?): return x.bitPattern == y.bitPattern || (x.isNaN && y.isNaN)
        default: return false
        }
    }

    @Test("hand-picked cases: the fast path's limits, halfway cases, subnormals, overflow, words, junk", arguments: [
        "0", "-0", "+0", "0.0", "-0.0e5", "1", "-1", "+1", "1.", ".1", "-.1", "1e5", "1E+5", "1e-5", "1.5e0", "123456789012345678",
        "9007199254740992", "9007199254740993", "9007199254740993.0", "1e22", "1e23", "1e-22", "1e-23", "0.1", "0.3", "2.2250738585072011e-308",
        "2.2250738585072014e-308", "4.9e-324", "2.4703282292062328e-324", "2.4703282292062327e-324", "1.7976931348623157e308",
        "1.7976931348623159e308", "1e309", "-1e309", "1e-400", "0e99999999999999", "1e99999999999999999999", "1e-99999999999999999999",
        "0.000000000000000000000000000000000000000000001", "12345678901234567890", "1234567890123456789012345678901234567890e-20",
        "3.14159265358979323846264338327950288419716939937510", " 7", "7 ", "\t7\t", " 1 2", "", " ", "+", "-", ".", "e5", "1e", "1e+",
        "--1", "+-1", "1..2", "1.2.3", "1e5.5", "inf", "-inf", "Infinity", "nan", "NaN", "nan(12)", "0x1p3", "0X10", "1_000", "١",
        "\u{A0}5", "5\u{2003}", "1\u{0}", "0x", "1f", "1d", "0.5e-3x", "\u{FEFF}1",
    ])
    func cases(field: String) {
        #expect(Self.same(Self.parse(field), Self.reference(field)), "\(field.debugDescription): \(String(describing: Self.parse(field))) vs \(String(describing: Self.reference(field)))")
    }

    @Test("200,000 random decimals and near-decimals give exactly what Double(String) gives")
    func random() {
        var generator = SplitMix(2024)
        func digits(_ count: Int) -> String { String((0..<count).map { _ in Character(UnicodeScalar(UInt8(48 + generator.next() % 10))) }) }
        var mismatches: [String] = []
        for _ in 0..<200_000 {
            var field = ""
            switch generator.next() % 8 {
            case 0: field = String(Double(bitPattern: generator.next()))  // any double's shortest spelling
            case 1: field = String(Float(bitPattern: UInt32(truncatingIfNeeded: generator.next())))
            case 2: field = String(format: "%.\(generator.next() % 20)e", Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF))
            case 3: field = digits(Int(generator.next() % 25) + 1) + "." + digits(Int(generator.next() % 25)) + "e" + String(Int(generator.next() % 700) - 350)
            case 4: field = digits(Int(generator.next() % 20)) + "." + digits(Int(generator.next() % 20))
            case 5: field = "0." + String(repeating: "0", count: Int(generator.next() % 30)) + digits(Int(generator.next() % 20) + 1)
            case 6:
                // Junk: a valid number with one byte changed.
                var bytes = Array(String(Double(bitPattern: generator.next())).utf8)
                bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next() % 128)
                field = String(decoding: bytes.filter { $0 != 0x2C && $0 != 0x0A && $0 != 0x0D }, as: UTF8.self)
            default: field = (generator.next() % 2 == 0 ? "-" : "+") + digits(Int(generator.next() % 18) + 1) + "e" + String(Int(generator.next() % 50) - 25)
            }
            if !Self.same(Self.parse(field), Self.reference(field)) { mismatches.append(field) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }
}
