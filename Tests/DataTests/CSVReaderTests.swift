import Foundation
import Testing
@testable import Data

@Suite("CSV reader")
struct CSVReaderTests {
    /// The reader's error message for a file holding `text`.
    static func message(_ text: String, labelColumn: String? = nil, options: DataReadOptions = DataReadOptions()) -> String? {
        message(Array(text.utf8), labelColumn: labelColumn, options: options)
    }

    static func message(_ bytes: [UInt8], labelColumn: String? = nil, options: DataReadOptions = DataReadOptions()) -> String? {
        let path = TestFiles.temporary("bad.csv", bytes)
        do {
            _ = try CSVReader.read(path, labelColumn: labelColumn, options: options)
            return nil
        } catch {
            #expect(error.file == path)
            return error.message
        }
    }

    @Test("header detection, label column by name or index, features without the label, the range")
    func basics() throws {
        let path = TestFiles.text("d.csv", "x,y,label\n0.5,1,2\n-1,2.5,0\n")
        let table = try CSVReader.read(path, labelColumn: "label")
        #expect(table.header == ["x", "y"] && table.features.values == [0.5, 1, -1, 2.5] && table.labels == [2, 0])
        #expect(table.features.shape == [2, 2] && table.features.elementType == .text)
        #expect(table.features.minimum == -1 && table.features.maximum == 2.5)  // the label column is not a feature
        #expect(try CSVReader.read(path, labelColumn: "2").labels == [2, 0])
        let middle = try CSVReader.read(path, labelColumn: "1")
        #expect(middle.header == ["x", "label"] && middle.features.values == [0.5, 2, -1, 0] && middle.labels == [1, 2.5])
        let bare = try CSVReader.read(TestFiles.text("e.csv", "1,2\n3,4\r\n"))
        #expect(bare.header == nil && bare.features.shape == [2, 2] && bare.features.values == [1, 2, 3, 4] && bare.labels == nil)
    }

    @Test("line breaks: \\n, \\r\\n and \\r, mixed; no break after the last line; blank lines at the end; a byte-order mark")
    func lineBreaks() throws {
        for text in ["1,2\n3,4\n", "1,2\r\n3,4\r\n", "1,2\r3,4\r", "1,2\r\n3,4", "1,2\n3,4\n\n  \n\t\n", "\u{FEFF}1,2\n3,4", "1 , 2\n 3,4 \n"] {
            let table = try CSVReader.read(TestFiles.text("b.csv", text))
            #expect(table.features.values == [1, 2, 3, 4] && table.header == nil, "\(text.debugDescription)")
        }
        let withHeader = try CSVReader.read(TestFiles.text("h.csv", "\u{FEFF}a,b\r\n1,2\r\n"))
        #expect(withHeader.header == ["a", "b"])
    }

    @Test("numbers are what Double(String) gives: signs, exponents, Unicode spaces; long digit strings round correctly")
    func numbers() throws {
        let fields = ["+1.5", "-.5", "5.", "1e-3", "1E+3", "\u{A0}7\u{A0}", "0.1000000000000000055511151231257827021181583404541015625",
                      "123456789012345678901234567890", "4.9e-324", "-0", "00012"]
        let table = try CSVReader.read(TestFiles.text("n.csv", fields.joined(separator: ",") + "\n"))
        #expect(table.features.values == fields.map { Float(Double($0.trimmingCharacters(in: .whitespaces))!) })
        #expect(table.features.values[9].sign == .minus)
    }

    @Test("a hexadecimal cell (0x10, 0x1p3) is not a number, as NumPy and pandas read it; the error says so")
    func hexadecimal() throws {
        for cell in ["0x10", "-0X1p3", " 0x7 "] {
            #expect { _ = try CSVReader.read(TestFiles.text("hex.csv", "1,2\n3,\(cell)\n")) } throws: { error in
                "\(error)".contains("line 2, column 2:") && "\(error)".contains("is not a number (hexadecimal is not read")
            }
        }
        // A first row of hexadecimal cells is a header, as elsewhere.
        #expect(try CSVReader.read(TestFiles.text("hexhead.csv", "0x10,0x11\n1,2\n")).header == ["0x10", "0x11"])
    }

    @Test("every error of the reader: ragged rows, non-numbers, non-finite values, labels, empty files", arguments: [
        ("1,2\n3\n", nil, "line 2 has 1 field, line 1 has 2 (ragged CSV)"),
        ("1,2\n3,4,5\n", nil, "line 2 has 3 fields, line 1 has 2 (ragged CSV)"),
        ("a,b\n1,2\n3\n", nil, "line 3 has 1 field, line 1 has 2 (ragged CSV)"),
        ("1,2\n3,x\n", nil, "line 2, column 2: \"x\" is not a number"),
        ("a,b\n1,2\n3,x\n", nil, "line 3, column 2: \"x\" is not a number"),
        ("1,2\n3,,\n", nil, "line 2 has 3 fields, line 1 has 2 (ragged CSV)"),
        ("1,2\nx,5,6\n", nil, "line 2 has 3 fields, line 1 has 2 (ragged CSV)"),
        ("1,2\n3,\n", nil, "line 2, column 2: \"\" is not a number"),
        ("1,2\n3,inf\n", nil, "line 2, column 2: inf is not finite; data must not contain NaN or infinity"),
        ("1,2\nnan,1e999\n", nil, "line 2, column 1: nan is not finite; data must not contain NaN or infinity"),
        ("1,2\n\n3,4\n", nil, "line 2 has 1 field, line 1 has 2 (ragged CSV; a blank line before the end of the file)"),
        ("1\n \n3\n", nil, "line 2, column 1: \"\" is not a number (a blank line before the end of the file)"),
        ("", nil, "is empty"),
        ("\n \n\t\n", nil, "is empty"),
        ("a,b\n", nil, "has a header but no data rows"),
        ("a,b\n\n\n", nil, "has a header but no data rows"),
        ("a,b\n1,2\n", "c", "has no column \"c\"; columns: a, b"),
        ("1,2\n3,4\n", "label", "label_column \"label\" names a column, but the file has no header row"),
        ("1,2\n3,4\n", "2", "label_column 2 is outside the 2 columns (0-based)"),
        ("1,2\n3,4\n", "-1", "label_column -1 is outside the 2 columns (0-based)"),
        ("label\n1\n", "label", "has no feature columns besides the label"),
        ("1,2\n3,4\u{0}\n", nil, "line 2, column 2: \"4\\x00\" is not a number"),
    ] as [(String, String?, String)])
    func errors(text: String, labelColumn: String?, expected: String) {
        #expect(Self.message(text, labelColumn: labelColumn) == expected)
    }

    // Before: a 10 MB field printed a 10 MB error line (and took 7.8 s); NUL and escape bytes reached the terminal raw.
    @Test("a bad value is quoted as a bounded prefix with its length, control bytes and invalid UTF-8 escaped")
    func boundedMessages() throws {
        let huge = String(repeating: "0.5x", count: 2_621_440)  // 10 MiB
        let message = try #require(Self.message("1,2\n3," + huge + "\n"))
        #expect(message == "line 2, column 2: \"0.5x0.5x0.5x0.5x0.5x0.5x0.5x0.5x0.5x0.5x\"… (10485760 bytes) is not a number")
        let control = try #require(Self.message([0x31, 0x2C, 0x32, 0x0A, 0x33, 0x2C, 0x1B, 0x5B, 0x32, 0x4A, 0x00, 0xFF, 0x22, 0x0A]))
        #expect(control == "line 2, column 2: \"\\x1B[2J\\x00\\xFF\\\"\" is not a number")
        let columns = (0..<30).map { "c\($0)" }.joined(separator: ",")
        let missing = try #require(Self.message(columns + "\n" + [String](repeating: "1", count: 30).joined(separator: ",") + "\n", labelColumn: "\u{1B}x"))
        #expect(missing == "has no column \"\\x1Bx\"; columns: c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19, … (30 columns)")
    }

    @Test("a header that is not UTF-8 is an error; so is a non-UTF-8 field")
    func notUTF8() {
        #expect(Self.message([0x61, 0xFF, 0x2C, 0x62, 0x0A, 0x31, 0x2C, 0x32, 0x0A]) == "line 1 (the header) is not UTF-8 text: \"a\\xFF,b\"")
        #expect(Self.message([0x31, 0x0A, 0xC3, 0x0A]) == "line 2, column 1: \"\\xC3\" is not a number")
    }

    /// A CSV of `rows` rows of `columns` numbers with a header and a label column, varied spellings.
    static func generated(rows: Int, columns: Int, seed: UInt64, lineBreak: String = "\n") -> String {
        var generator = SplitMix(seed)
        var text = (0..<columns).map { "f\($0)" }.joined(separator: ",") + ",label" + lineBreak
        for _ in 0..<rows {
            for _ in 0..<columns {
                switch generator.next() % 4 {
                case 0: text += String(Double(generator.next() % 1_000_000) / 1000)
                case 1: text += String(Float(bitPattern: UInt32(truncatingIfNeeded: generator.next()) & 0x3FFF_FFFF))
                case 2: text += " -\(generator.next() % 100)e-\(generator.next() % 30) "
                default: text += String(Double(bitPattern: (generator.next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x3000_0000_0000_0000))
                }
                text += ","
            }
            text += String(generator.next() % 10) + lineBreak
        }
        return text
    }

    @Test("threads and buffer sizes change nothing: the same values, labels and range, and the same first error")
    func threadsAndBuffers() throws {
        for (index, lineBreak) in ["\n", "\r\n", "\r"].enumerated() {
            let text = Self.generated(rows: 300, columns: 7, seed: UInt64(index), lineBreak: lineBreak)
            let path = TestFiles.text("t.csv", text)
            let reference = try CSVReader.read(path, labelColumn: "label")
            #expect(reference.features.shape == [300, 7] && reference.labels?.count == 300)
            // Every value as Double(String) of its field gives it.
            let firstRow = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })[1].split(separator: ",")
            #expect(Array(reference.features.values[0..<7]) == firstRow.prefix(7).map { Float(Double($0.trimmingCharacters(in: .whitespaces))!) })
            for (threads, bufferSize) in [(1, 16), (2, 64), (3, 100), (4, 1 << 20), (8, 17)] {
                var options = DataReadOptions()
                options.threads = threads
                options.bufferSize = bufferSize
                let table = try CSVReader.read(path, labelColumn: "label", options: options)
                #expect(table.features.values.map(\.bitPattern) == reference.features.values.map(\.bitPattern), "\(threads) threads, \(bufferSize) bytes")
                #expect(table.labels == reference.labels && table.features.minimum == reference.features.minimum && table.features.maximum == reference.features.maximum)
            }
        }
        // Errors in the second half, or blank lines at the end of one part followed by rows in the next.
        var text = Self.generated(rows: 200, columns: 3, seed: 9)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[150] = "1,2,x,3"
        text = lines.joined(separator: "\n")
        lines[150] = ""
        let blank = lines.joined(separator: "\n")
        for (content, expected) in [(text, "line 151, column 3: \"x\" is not a number"),
                                    (blank, "line 151 has 1 field, line 1 has 4 (ragged CSV; a blank line before the end of the file)")] {
            for (threads, bufferSize) in [(1, 1 << 20), (2, 32), (3, 64), (5, 16)] {
                var options = DataReadOptions()
                options.threads = threads
                options.bufferSize = bufferSize
                #expect(Self.message(content, options: options) == expected, "\(threads) threads, \(bufferSize) bytes")
            }
        }
    }

    @Test("the early check gets the first rows with labels and range before the rest is read; throwing stops the read")
    func earlyCheck() throws {
        let path = TestFiles.text("e.csv", "a,b,y\n0,0.5,1\n1,0.25,0\n3,1,1\n1,2,x\n")
        var options = DataReadOptions()
        options.previewRows = 2
        nonisolated(unsafe) var previews: [DataPreview] = []
        options.earlyCheck = { previews.append($0) }
        // The error on line 5 comes after the check: the check saw the first two rows first.
        #expect(throws: DataError(file: path, "line 5, column 3: \"x\" is not a number")) { try CSVReader.read(path, labelColumn: "y", options: options) }
        #expect(previews.count == 1)
        let preview = try #require(previews.first)
        #expect(preview.rows == 2 && preview.columns == 2 && preview.values == [0, 0.5, 1, 0.25] && preview.labels == [1, 0])
        #expect(preview.minimum == 0 && preview.maximum == 1 && preview.totalRows == nil && preview.elementType == .text)
        options.earlyCheck = { preview throws(DataError) in
            if let high = preview.maximum, high > 1 { throw DataError(file: preview.file, "values up to \(high): not in [0, 1]") }
        }
        options.previewRows = 3
        #expect(throws: DataError(file: path, "values up to 3.0: not in [0, 1]")) { try CSVReader.read(path, labelColumn: "y", options: options) }
    }

    @Test("progress on a multi-threaded read: in order, within [0, 1], ending with 1")
    func progress() throws {
        let path = TestFiles.text("p.csv", Self.generated(rows: 2000, columns: 10, seed: 3))
        var options = DataReadOptions()
        options.threads = 2
        options.bufferSize = 4096
        options.progressInterval = 0
        nonisolated(unsafe) var fractions: [Double] = []
        options.progress = { fractions.append($0) }
        _ = try CSVReader.read(path, labelColumn: "label", options: options)
        #expect(fractions.count > 5 && fractions.last == 1 && fractions.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(fractions == fractions.sorted())
    }
}

/// A small seeded generator for test data (SplitMix64).
struct SplitMix {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
