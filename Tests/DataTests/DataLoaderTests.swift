import Foundation
import Testing
@testable import Data

@Suite("Data loaders")
struct DataLoaderTests {
    static func temporary(_ name: String, _ bytes: [UInt8]) -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("anneal-data-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(name).path
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    /// A .npy file (format 1.0) with the given header dictionary and raw data.
    static func npy(descr: String, shape: String, data: [UInt8], fortran: Bool = false) -> [UInt8] {
        var header = "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shape), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        let length = header.utf8.count
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(header.utf8) + data
    }

    static func floats(_ values: [Float]) -> [UInt8] { values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) } }
    static func doubles(_ values: [Double]) -> [UInt8] { values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) } }

    @Test("npy: float32, float64 and uint8; N-D arrays flatten to rows")
    func npyTypes() throws {
        let f32 = try NPYReader.read(Self.temporary("a.npy", Self.npy(descr: "<f4", shape: "(2, 3)", data: Self.floats([1, 2, 3, 4, 5, 6.5]))))
        #expect(f32.shape == [2, 3] && f32.values == [1, 2, 3, 4, 5, 6.5] && f32.elementType == "float32")
        let f64 = try NPYReader.read(Self.temporary("b.npy", Self.npy(descr: "<f8", shape: "(1, 2)", data: Self.doubles([0.1, -2]))))
        #expect(f64.values == [Float(0.1), -2])
        let images = try NPYReader.read(Self.temporary("c.npy", Self.npy(descr: "|u1", shape: "(2, 2, 2)", data: [0, 255, 128, 1, 2, 3, 4, 5])))
        #expect(images.rows == 2 && images.columns == 4)
        let dataset = try DataSource.dataset(images, labels: nil, file: "c.npy", labelsFile: nil)
        #expect(dataset.features[1] == 1)  // 255/255: uint8 pixels above 1 are scaled to [0, 1]
        #expect(dataset.imageShape?.width == 2)
    }

    @Test("npy errors: not npy, unsupported type, big-endian, Fortran order, truncated", arguments: [
        ([UInt8](Array("hello world!".utf8)), "is not a .npy file"),
        (npy(descr: "<c8", shape: "(1, 1)", data: [0, 0, 0, 0, 0, 0, 0, 0]), "has element type '<c8'"),
        (npy(descr: ">f4", shape: "(1, 1)", data: [0, 0, 0, 0]), "big-endian"),
        (npy(descr: "<f4", shape: "(2, 2)", data: floats([1, 2, 3, 4]), fortran: true), "Fortran order"),
        (npy(descr: "<f4", shape: "(2, 3)", data: floats([1, 2, 3])), "is truncated: its shape [2, 3] needs 24 bytes of float32 data, the file has 12"),
    ])
    func npyErrors(bytes: [UInt8], phrase: String) {
        let path = Self.temporary("bad.npy", bytes)
        do { _ = try NPYReader.read(path); Issue.record("no error") } catch {
            #expect(error.file == path)
            #expect(error.message.contains(phrase), "\(error)")
        }
    }

    @Test("non-finite values, one-dimensional data and mismatched labels are errors naming the file")
    func badContents() throws {
        let nan = try NPYReader.read(Self.temporary("n.npy", Self.npy(descr: "<f4", shape: "(2, 2)", data: Self.floats([1, 2, .nan, 4]))))
        #expect(throws: DataError(file: "n.npy", "example 1, feature 0 is nan; data must not contain NaN or infinity (nor values beyond single precision, ±3.4e38)")) {
            try DataSource.dataset(nan, labels: nil, file: "n.npy", labelsFile: nil)
        }
        let flat = NumericArray(values: [1, 2], shape: [2], elementType: "float32")
        #expect(throws: DataError.self) { try DataSource.dataset(flat, labels: nil, file: "f.npy", labelsFile: nil) }
        let good = NumericArray(values: [1, 2, 3, 4], shape: [2, 2], elementType: "float32")
        #expect(throws: DataError(file: "l.npy", "has 3 labels for 2 examples in g.npy")) {
            try DataSource.dataset(good, labels: [0, 1, 1], file: "g.npy", labelsFile: "l.npy")
        }
        #expect(throws: DataError(file: "l.npy", "label 1 is 1.5; labels must be whole numbers ≥ 0 (class indices)")) {
            try DataSource.dataset(good, labels: [0, 1.5], file: "g.npy", labelsFile: "l.npy")
        }
        let labelled = try DataSource.dataset(good, labels: [0, 3], file: "g.npy", labelsFile: "l.npy")
        #expect(labelled.classCount == 4)
    }

    @Test("CSV: header detection, label column by name or index, and its errors")
    func csv() throws {
        let path = Self.temporary("d.csv", Array("x,y,label\n0.5,1,2\n-1,2.5,0\n".utf8))
        let table = try CSVReader.read(path, labelColumn: "label")
        #expect(table.header == ["x", "y"] && table.features.values == [0.5, 1, -1, 2.5] && table.labels == [2, 0])
        #expect(try CSVReader.read(path, labelColumn: "2").labels == [2, 0])
        let bare = try CSVReader.read(Self.temporary("e.csv", Array("1,2\n3,4\r\n".utf8)))
        #expect(bare.header == nil && bare.features.shape == [2, 2])
        let cases: [(String, String?, String)] = [
            ("1,2\n3\n", nil, "line 2 has 1 fields, line 1 has 2 (ragged CSV)"),
            ("1,2\n3,x\n", nil, "line 2, column 2: \"x\" is not a number"),
            ("a,b\n1,2\n3,x\n", nil, "line 3, column 2: \"x\" is not a number"),
            ("1,2\n3,inf\n", nil, "line 2, column 2: inf is not finite"),
            ("", nil, "is empty"),
            ("a,b\n1,2\n", "c", "has no column \"c\"; columns: a, b"),
            ("1,2\n3,4\n", "label", "names a column, but the file has no header row"),
        ]
        for (text, column, phrase) in cases {
            let file = Self.temporary("bad.csv", Array(text.utf8))
            do { _ = try CSVReader.read(file, labelColumn: column); Issue.record("no error for \(text)") } catch {
                #expect(error.message.contains(phrase), "\(error)")
            }
        }
        #expect(throws: DataError(file: "/no/such.csv", "no such file")) { try CSVReader.read("/no/such.csv") }
    }

    @Test("IDX (MNIST's format): images and labels, truncation")
    func idx() throws {
        let images: [UInt8] = [0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2] + [0, 255, 10, 20, 30, 40, 50, 60]
        let array = try IDXReader.read(Self.temporary("i.idx", images))
        #expect(array.shape == [2, 2, 2] && array.values[1] == 255)
        let labels: [UInt8] = [0, 0, 0x08, 1, 0, 0, 0, 2, 7, 3]
        #expect(try IDXReader.read(Self.temporary("l.idx", labels)).values == [7, 3])
        let truncated = Self.temporary("t.idx", Array(images.dropLast(3)))
        do { _ = try IDXReader.read(truncated); Issue.record("no error") } catch {
            #expect(error.message == "is truncated: its shape [2, 2, 2] needs 8 bytes of uint8 data, the file has 5")
        }
        #expect(throws: DataError.self) { try IDXReader.read(Self.temporary("x.idx", [1, 2, 3, 4, 5])) }
    }
}
