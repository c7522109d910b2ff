import Foundation
import Testing
@testable import Data

@Suite(".npy reader")
struct NPYReaderTests {
    /// The reader's error for `bytes` written to a file, with the file name checked and removed.
    static func message(_ bytes: [UInt8]) -> String? {
        let path = TestFiles.temporary("bad.npy", bytes)
        do {
            _ = try NPYReader.read(path)
            return nil
        } catch {
            #expect(error.file == path)
            return error.message
        }
    }

    struct Expected: Decodable {
        var shape: [Int]
        var element_type: String
        var values: [String]
        var minimum: String
        var maximum: String
    }

    @Test("every type NumPy writes (files from numpy.save): values, shape, element type and range")
    func numpyFiles() throws {
        let directory = TestFiles.fixtures + "/npy"
        let expected = try JSONDecoder().decode([String: Expected].self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/expected.json")))
        #expect(expected.count == 15)
        for (name, case_) in expected.sorted(by: { $0.key < $1.key }) {
            let array = try NPYReader.read(directory + "/\(name).npy")
            #expect(array.shape == case_.shape, "\(name)")
            #expect(array.elementType.rawValue == case_.element_type, "\(name)")
            let values = case_.values.map { Float(Double($0)!) }
            #expect(array.values.map(\.bitPattern) == values.map(\.bitPattern), "\(name): \(array.values) vs \(values)")
            #expect(array.minimum == Double(case_.minimum)!, "\(name)")
            #expect(array.maximum == Double(case_.maximum)!, "\(name)")
        }
        // What later code needs to decide scaling: uint8 with its true range.
        let pixels = try NPYReader.read(directory + "/uint8.npy")
        #expect(pixels.elementType == .uint8 && pixels.minimum == 0 && pixels.maximum == 255)
    }

    @Test("NumPy files this reader refuses say why and what to do", arguments: [
        ("big_endian", "holds big-endian values (\">f4\"); save them little-endian with array.astype(array.dtype.newbyteorder('<'))"),
        ("fortran", "is stored in Fortran order; save it with numpy.ascontiguousarray first"),
        ("complex", "has element type \"<c8\"; supported: bool, uint8, uint16, uint32, uint64, int8, int16, int32, int64, float32, float64"),
        ("structured", "has a malformed .npy header: 'descr' is a list of fields (a structured array); save a plain numeric array"),
    ])
    func refusedFiles(name: String, phrase: String) throws {
        let path = TestFiles.fixtures + "/npy/\(name).npy"
        #expect { try NPYReader.read(path) } throws: { error in
            guard let error = error as? DataError else { return false }
            return error.file == path && error.message.contains(phrase)
        }
    }

    // Each of these crashed the reader (exit 132 or 134) before it checked sizes.
    @Test("shapes that are negative or overflow are errors, checked before anything is allocated", arguments: [
        ("<f4", "(-1, 10)", "has a malformed .npy header: 'shape' has a negative dimension, -1"),
        ("<f4", "(10, -3)", "has a malformed .npy header: 'shape' has a negative dimension, -3"),
        ("<f4", "(4294967296, 4294967296)", "has the shape (4294967296, 4294967296), more values than any file can hold"),
        ("<f4", "(65536, 65536, 65536, 65536)", "has the shape (65536, 65536, 65536, 65536), more values than any file can hold"),
        ("<f8", "(2305843009213693952,)", "has the shape (2305843009213693952,) of float64, more bytes than any file can hold"),
        ("<f4", "(0, 4294967296, 4294967296)", "has the shape (0, 4294967296, 4294967296), more values than any file can hold"),
        ("|u1", "(99999999999999999999,)", "has a malformed .npy header: 'shape' has the dimension 99999999999999999999, larger than any file can hold"),
        ("<f4", "(1000000, 1000000)", "is truncated: its shape (1000000, 1000000) needs 4000000000000 bytes of float32 data, the file has 4"),
    ])
    func impossibleShapes(descr: String, shape: String, expected: String) {
        #expect(Self.message(TestFiles.npy(descr: descr, shape: shape, data: [0, 0, 0, 0])) == expected)
    }

    @Test("headers are parsed strictly: exactly the three keys, once each, with values of the right kind", arguments: [
        ("{'descr': '<f4', 'fortran_order': 'x', 'shape': (1,), }", "'fortran_order' must be True or False, found \"'x'\""),
        ("{'descr': '<f4', 'fortran_order': true, 'shape': (1,), }", "'fortran_order' must be True or False, found \"true\""),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'shape': (2,)}", "the key 'shape' appears twice (NumPy would take the last one silently)"),
        ("{'descr': '<f4', 'descr': '<f8', 'fortran_order': False, 'shape': (1,)}", "the key 'descr' appears twice"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'extra': 1}", "unknown key \"extra\"; a .npy header has exactly 'descr', 'fortran_order' and 'shape'"),
        ("{'descr': '<f4', 'shape': (1,)}", "no 'fortran_order'; a .npy header has exactly"),
        ("{'fortran_order': False}", "no 'descr' and 'shape'"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (1)}", "'shape' (1) is a number in parentheses, not a tuple; a one-dimensional shape is written (1,)"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (1,,)}", "'shape' must hold non-negative integers, found \",\""),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (1 1)}", "expected ',' or ')' in 'shape', found \"1\""),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': [1]}", "'shape' must be a tuple of non-negative integers such as (60000, 784), found \"[\""),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (1.5,)}", "'shape' must hold non-negative integers, found \"1.5\""),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (0x1,)}", "'shape' must hold non-negative integers, found \"0x1\""),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (01,)}", "'shape' has the dimension 01 with a leading zero, which Python does not allow"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (1,", "'shape' \"(1,"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (1,)} x", "\"x\" after the dict's closing '}'"),
        ("{'descr': '<f4' 'fortran_order': False, 'shape': (1,)}", "expected ',' or '}' after the value of 'descr', found \"'fortran_order'\""),
        ("{'descr': '<f\\x34', 'fortran_order': False, 'shape': (1,)}", "holds a character other than printable ASCII"),
        ("['descr', '<f4']", "expected '{' (a Python dict), found \"[\""),
        ("", "expected '{' (a Python dict), found the end of the header"),
    ])
    func strictHeaders(header: String, phrase: String) throws {
        let message = try #require(Self.message(TestFiles.npy(header: header, data: [0, 0, 0, 0])))
        #expect(message.hasPrefix("has a malformed .npy header: "), "\(message)")
        #expect(message.contains(phrase), "\(message)")
    }

    @Test("header forms NumPy accepts: double quotes, any key order, no trailing comma, Python 2's 10L in versions 1 and 2")
    func acceptedHeaders() throws {
        let data = TestFiles.floats([1, 2])
        for header in [
            "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2,)}",
            "{'shape': (2, ), 'fortran_order': False, 'descr': '<f4'}",
            "{'descr':'<f4','fortran_order':False,'shape':(1,2,)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2L,)}",
            "{'descr': '<f4', 'fortran_order': True, 'shape': (2,)}",  // one dimension: Fortran order is C order
        ] {
            let array = try NPYReader.read(TestFiles.temporary("ok.npy", TestFiles.npy(header: header, data: data)))
            #expect(array.values == [1, 2], "\(header)")
        }
        let version3 = TestFiles.npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2L,)}", data: data, version: 3)
        #expect(Self.message(version3) == "has a malformed .npy header: 'shape' must hold non-negative integers, found \"2L\"")
        let version2 = TestFiles.npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", data: data, version: 2)
        #expect(try NPYReader.read(TestFiles.temporary("v2.npy", version2)).values == [1, 2])
    }

    static let layoutCases: [([UInt8], String)] = [
        (Array("hello world!".utf8), "is not a .npy file (it does not start with \\x93NUMPY)"),
        ([0x93] + Array("NUMPY".utf8) + [1, 1, 0, 0], "uses .npy format version 1.1; this reader knows versions 1.0, 2.0 and 3.0"),
        ([0x93] + Array("NUMPY".utf8) + [4, 0, 0, 0], "uses .npy format version 4.0"),
        ([0x93] + Array("NUMPY".utf8) + [1, 0, 0xFF, 0xFF, 0x7B], "is truncated inside its header (the header says it is 65535 bytes, 1 follow)"),
        ([0x93] + Array("NUMPY".utf8) + [2, 0, 0xFF, 0xFF, 0xFF, 0xFF], "is truncated inside its header (the header says it is 4294967295 bytes, 0 follow)"),
        (TestFiles.npy(descr: "<f4", shape: "(2, 3)", data: TestFiles.floats([1, 2, 3])), "is truncated: its shape (2, 3) needs 24 bytes of float32 data, the file has 12"),
        (TestFiles.npy(descr: "<f4", shape: "(1,)", data: TestFiles.floats([1, 2])), "has 4 bytes after the 4 bytes of float32 data its shape (1,) describes; the header does not match the data"),
        (TestFiles.npy(descr: "|b1", shape: "(3,)", data: [1, 0, 7]), "element 2 is the byte 7; bool data holds only 0 (False) and 1 (True)"),
        (TestFiles.npy(descr: "<U5", shape: "(1,)", data: []), "has element type \"<U5\"; supported"),
        (TestFiles.npy(descr: ">i8", shape: "(1,)", data: []), "holds big-endian values (\">i8\")"),
    ]

    @Test("the file around the header: magic, version, header length, data size, bool bytes", arguments: layoutCases)
    func fileLayout(bytes: [UInt8], phrase: String) {
        let message = Self.message(bytes)
        #expect(message?.contains(phrase) == true, "\(message ?? "no error")")
    }

    @Test("a missing file, a directory")
    func missing() {
        #expect(throws: DataError(file: "/no/such.npy", "no such file")) { try NPYReader.read("/no/such.npy") }
        let directory = FileManager.default.temporaryDirectory.path
        #expect(throws: DataError(file: directory, "is a directory, not a data file")) { try NPYReader.read(directory) }
    }

    @Test("the early check sees the first rows before the rest is converted, once; throwing stops the read with that error")
    func earlyCheck() throws {
        let path = TestFiles.temporary("e.npy", TestFiles.npy(descr: "|u1", shape: "(4, 2)", data: [0, 16, 3, 4, 5, 6, 200, 8]))
        var options = DataReadOptions()
        options.previewRows = 2
        nonisolated(unsafe) var previews: [DataPreview] = []
        options.earlyCheck = { preview throws(DataError) in previews.append(preview) }
        let array = try NPYReader.read(path, options: options)
        #expect(array.values.count == 8 && array.maximum == 200)
        #expect(previews.count == 1)
        let preview = try #require(previews.first)
        #expect(preview.rows == 2 && preview.columns == 2 && preview.values == [0, 16, 3, 4] && preview.totalRows == 4)
        #expect(preview.minimum == 0 && preview.maximum == 16 && preview.elementType == .uint8 && preview.file == path)
        options.earlyCheck = { preview throws(DataError) in
            if preview.maximum ?? 0 > 1 { throw DataError(file: preview.file, "is not in [0, 1]") }
        }
        #expect(throws: DataError(file: path, "is not in [0, 1]")) { try NPYReader.read(path, options: options) }
        // Fewer rows than previewRows: all of them; no values: the check still runs once.
        options.previewRows = 1000
        previews = []
        options.earlyCheck = { preview throws(DataError) in previews.append(preview) }
        _ = try NPYReader.read(path, options: options)
        _ = try NPYReader.read(TestFiles.temporary("z.npy", TestFiles.npy(descr: "<f4", shape: "(0, 3)", data: [])), options: options)
        #expect(previews.map(\.rows) == [4, 0])
    }

    @Test("progress: fractions from 0 to 1 in order, ending with 1; none at all for a load shorter than the interval")
    func progress() throws {
        let count = 3 << 20  // three blocks
        let path = TestFiles.temporary("p.npy", TestFiles.npy(descr: "|u1", shape: "(\(count),)", data: [UInt8](repeating: 1, count: count)))
        nonisolated(unsafe) var fractions: [Double] = []
        var options = DataReadOptions()
        options.progress = { fractions.append($0) }
        options.progressInterval = 0
        _ = try NPYReader.read(path, options: options)
        #expect(fractions.count >= 3 && fractions.last == 1 && fractions == fractions.sorted() && fractions.allSatisfy { $0 >= 0 && $0 <= 1 })
        fractions = []
        options.progressInterval = 60
        _ = try NPYReader.read(path, options: options)
        #expect(fractions.isEmpty)
    }
}
