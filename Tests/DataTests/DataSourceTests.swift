import Foundation
import Testing
@testable import Data

@Suite("Data sources: checks and conversion of loaded arrays")
struct DataSourceTests {
    @Test("uint8 pixels above 1 are scaled to [0, 1]; N-D arrays keep their image shape")
    func uint8Scaling() throws {
        let images = try NPYReader.read(TestFiles.temporary("c.npy", TestFiles.npy(descr: "|u1", shape: "(2, 2, 2)", data: [0, 255, 128, 1, 2, 3, 4, 5])))
        #expect(images.rows == 2 && images.columns == 4)
        let dataset = try DataSource.dataset(images, labels: nil, file: "c.npy", labelsFile: nil)
        #expect(dataset.features[1] == 1)  // 255/255
        #expect(dataset.features[2] == Float(128) / 255)
        #expect(dataset.imageShape?.width == 2)
    }

    @Test("non-finite values, one-dimensional data and mismatched labels are errors naming the file")
    func badContents() throws {
        let nan = try NPYReader.read(TestFiles.temporary("n.npy", TestFiles.npy(descr: "<f4", shape: "(2, 2)", data: TestFiles.floats([1, 2, .nan, 4]))))
        #expect(throws: DataError(file: "n.npy", "example 1, feature 0 is nan; data must not contain NaN or infinity (nor values beyond single precision, ±3.4e38)")) {
            try DataSource.dataset(nan, labels: nil, file: "n.npy", labelsFile: nil)
        }
        let flat = NumericArray(values: [1, 2], shape: [2], elementType: .float32)
        #expect(throws: DataError.self) { try DataSource.dataset(flat, labels: nil, file: "f.npy", labelsFile: nil) }
        let good = NumericArray(values: [1, 2, 3, 4], shape: [2, 2], elementType: .float32)
        #expect(throws: DataError(file: "l.npy", "has 3 labels for 2 examples in g.npy")) {
            try DataSource.dataset(good, labels: [0, 1, 1], file: "g.npy", labelsFile: "l.npy")
        }
        #expect(throws: DataError(file: "l.npy", "label 1 is 1.5; labels must be whole numbers ≥ 0 (class indices)")) {
            try DataSource.dataset(good, labels: [0, 1.5], file: "g.npy", labelsFile: "l.npy")
        }
        let labelled = try DataSource.dataset(good, labels: [0, 3], file: "g.npy", labelsFile: "l.npy")
        #expect(labelled.classCount == 4)
    }

    @Test("a CSV source loads features and labels; the early check reaches the reader through load(options:)")
    func csvSource() throws {
        let path = TestFiles.text("d.csv", "x,y,label\n0.5,1,2\n-1,2.5,0\n")
        let source = DataSource(kind: .csv, path: path, labelColumn: "label")
        let dataset = try source.load()
        #expect(dataset.count == 2 && dataset.featureCount == 2 && dataset.labels == [2, 0] && dataset.classCount == 3)
        var options = DataReadOptions()
        options.earlyCheck = { preview throws(DataError) in
            if let low = preview.minimum, low < 0 { throw DataError(file: preview.file, "values below 0 (\(low)) do not suit a Bernoulli likelihood") }
        }
        #expect(throws: DataError(file: path, "values below 0 (-1.0) do not suit a Bernoulli likelihood")) { try source.load(options: options) }
    }

    @Test("npy data with an IDX labels file; a labels file that is not one label per example is an error")
    func labelsFile() throws {
        let data = TestFiles.temporary("x.npy", TestFiles.npy(descr: "<f4", shape: "(2, 2)", data: TestFiles.floats([0, 1, 1, 0])))
        let labels = TestFiles.temporary("y.idx", TestFiles.idx(type: 0x08, shape: [2], data: [1, 0]))
        let dataset = try DataSource(kind: .npy, path: data, labelsPath: labels).load()
        #expect(dataset.labels == [1, 0])
        let wide = TestFiles.temporary("w.idx", TestFiles.idx(type: 0x08, shape: [2, 2], data: [1, 0, 1, 0]))
        #expect(throws: DataError(file: wide, "must hold one label per example (shape (N,)), its shape is [2, 2]")) {
            try DataSource(kind: .npy, path: data, labelsPath: wide).load()
        }
    }
}
