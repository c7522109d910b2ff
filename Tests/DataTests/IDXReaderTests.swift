import Foundation
import Testing
@testable import Data

@Suite("IDX reader")
struct IDXReaderTests {
    static func message(_ bytes: [UInt8]) -> String? {
        let path = TestFiles.temporary("bad.idx", bytes)
        do {
            _ = try IDXReader.read(path)
            return nil
        } catch {
            #expect(error.file == path)
            return error.message
        }
    }

    @Test("MNIST's layout: images and labels, big-endian values of every IDX type, the range kept")
    func types() throws {
        let images = try IDXReader.read(TestFiles.temporary("i.idx", TestFiles.idx(type: 0x08, shape: [2, 2, 2], data: [0, 255, 10, 20, 30, 40, 50, 60])))
        #expect(images.shape == [2, 2, 2] && images.values[1] == 255 && images.elementType == .uint8 && images.minimum == 0 && images.maximum == 255)
        #expect(try IDXReader.read(TestFiles.temporary("l.idx", TestFiles.idx(type: 0x08, shape: [2], data: [7, 3]))).values == [7, 3])
        let signed = try IDXReader.read(TestFiles.temporary("s.idx", TestFiles.idx(type: 0x09, shape: [1, 2], data: [0xFF, 0x7F])))
        #expect(signed.values == [-1, 127] && signed.elementType == .int8)
        let shorts = try IDXReader.read(TestFiles.temporary("h.idx", TestFiles.idx(type: 0x0B, shape: [1, 2], data: [0x80, 0x00, 0x01, 0x02])))
        #expect(shorts.values == [-32768, 258] && shorts.elementType == .int16)
        let ints = try IDXReader.read(TestFiles.temporary("n.idx", TestFiles.idx(type: 0x0C, shape: [1, 1], data: [0xFF, 0xFF, 0xFF, 0xFE])))
        #expect(ints.values == [-2] && ints.elementType == .int32)
        let singles = try IDXReader.read(TestFiles.temporary("f.idx", TestFiles.idx(type: 0x0D, shape: [1, 1], data: withUnsafeBytes(of: Float(1.5).bitPattern.bigEndian, Array.init))))
        #expect(singles.values == [1.5] && singles.elementType == .float32)
        let doubles = try IDXReader.read(TestFiles.temporary("d.idx", TestFiles.idx(type: 0x0E, shape: [1, 1], data: withUnsafeBytes(of: Double(-0.25).bitPattern.bigEndian, Array.init))))
        #expect(doubles.values == [-0.25] && doubles.elementType == .float64 && doubles.minimum == -0.25)
    }

    // The two overflowing shapes crashed the reader (exit 132) before sizes were checked.
    @Test("headers that are wrong, truncated or whose sizes overflow are errors, checked before anything is allocated", arguments: [
        (TestFiles.idx(type: 0x08, shape: [0xFFFF_FFFF, 0xFFFF_FFFF, 3], data: []), "has the shape (4294967295, 4294967295, 3), more values than any file can hold"),
        (TestFiles.idx(type: 0x08, shape: [65536, 65536, 65536, 65536], data: []), "has the shape (65536, 65536, 65536, 65536), more values than any file can hold"),
        (TestFiles.idx(type: 0x0E, shape: [0x4000_0000, 0x4000_0000, 2], data: []), "has the shape (1073741824, 1073741824, 2) of float64, more bytes than any file can hold"),
        // Found by the IDX fuzz target (Regressions/idx/zero-rows-overflowing-columns): no values, but 2⁶⁴
        // features per row; the feature count overflowed and trapped.
        (TestFiles.idx(type: 0x09, shape: [0, 0x0803_FFFF, 0xFF7A_7A7A, 0x7A7A_0000, 0x0008_0100], data: [0, 0, 0, 0]),
         "has the shape (0, 134479871, 4286216826, 2054815744, 524544), more values than any file can hold"),
        (TestFiles.idx(type: 0x08, shape: [2, 2, 2], data: [0, 255, 10, 20, 30]), "is truncated: its shape (2, 2, 2) needs 8 bytes of uint8 data, the file has 5"),
        (TestFiles.idx(type: 0x08, shape: [2], data: [1, 2, 3]), "has 1 bytes after the 2 bytes of uint8 data its shape (2,) describes; the header does not match the data"),
        (TestFiles.idx(type: 0x08, shape: [], data: []), "has no dimensions (the fourth byte of an IDX file is the number of dimensions, at least 1)"),
        ([0, 0, 0x08, 3, 0, 0, 0, 2], "is truncated inside its header (3 dimensions need 16 bytes, the file has 8)"),
        ([0, 0, 0x07, 1, 0, 0, 0, 1, 0], "has IDX element type 0x07; known: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64"),
        ([1, 2, 3, 4, 5], "is not an IDX file (its magic number does not start with two zero bytes)"),
        ([0, 0], "is not an IDX file (its magic number does not start with two zero bytes)"),
    ])
    func badFiles(bytes: [UInt8], expected: String) {
        #expect(Self.message(bytes) == expected)
    }

    @Test("the early check gets the first rows with the file's row count")
    func earlyCheck() throws {
        let path = TestFiles.temporary("e.idx", TestFiles.idx(type: 0x08, shape: [3, 2], data: [1, 2, 3, 4, 5, 6]))
        var options = DataReadOptions()
        options.previewRows = 1
        nonisolated(unsafe) var seen: [DataPreview] = []
        options.earlyCheck = { seen.append($0) }
        _ = try IDXReader.read(path, options: options)
        #expect(seen.count == 1 && seen[0].values == [1, 2] && seen[0].totalRows == 3 && seen[0].maximum == 2)
    }
}
