import Foundation
import Testing
@testable import Data

@Suite("Generative factors")
struct DataFactorsTests {
    /// A data file of `rows` examples of 2 features, and a factors file beside it.
    static func files(rows: Int, factors descr: String, shape: String, data: [UInt8]) -> (data: String, factors: String) {
        let dataFile = TestFiles.temporary("x.npy", TestFiles.npy(descr: "<f4", shape: "(\(rows), 2)", data: TestFiles.floats((0..<(2 * rows)).map { Float($0 % 2) })))
        let factorsFile = URL(fileURLWithPath: dataFile).deletingLastPathComponent().appendingPathComponent("factors.npy").path
        FileManager.default.createFile(atPath: factorsFile, contents: Foundation.Data(TestFiles.npy(descr: descr, shape: shape, data: data)))
        return (dataFile, factorsFile)
    }

    static func int64(_ values: [Int64]) -> [UInt8] { values.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) } }

    @Test("dsprites' factors follow from each image's index, in subsets too")
    func sprites() {
        let dataset = SpriteImages(resolution: 32)!.dataset(subset: 300, seed: 5)
        let factors = dataset.factors!
        #expect(factors.names == ["shape", "scale", "orientation", "position_x", "position_y"] && factors.sizes == [3, 6, 40, 32, 32])
        guard let indices = (dataset.storage as? SpriteRows)?.indices else { Issue.record("not a subset"); return }
        for row in [0, 17, 299] {
            #expect((0..<5).map { factors.value(row: row, factor: $0) } == SpriteImages.factors(of: Int(indices[row])))
        }
        let ellipses = dataset.subset(labels: [1])!
        #expect((0..<ellipses.count).allSatisfy { ellipses.factors!.value(row: $0, factor: 0) == 1 })
        #expect(SpriteImages(resolution: 32)!.dataset().factors!.value(row: 737_279, factor: 2) == 39)
    }

    @Test("data.factors_path: an N × K integer array, named or numbered, kept through a class subset")
    func fromFile() throws {
        // Three examples, two factors: (0, 2), (1, 0), (1, 1).
        let (data, factors) = Self.files(rows: 3, factors: "<i8", shape: "(3, 2)", data: Self.int64([0, 2, 1, 0, 1, 1]))
        var source = DataSource(kind: .npy, path: data)
        source.factorsPath = factors
        let numbered = try source.load().factors!
        #expect(numbered.names == ["factor_0", "factor_1"] && numbered.sizes == [2, 3])
        #expect(numbered.value(row: 0, factor: 1) == 2 && numbered.value(row: 2, factor: 0) == 1)
        source.factorNames = ["colour", "size"]
        #expect(try source.load().factors!.index(named: "size") == 1)
        #expect(numbered.subset(rows: [2, 0]).value(row: 0, factor: 1) == 1)
    }

    @Test("bad factors files say which file, which row and why", arguments: [
        ("<i8", "(2, 2)", int64([0, 1, 1, 0]), "has 2 rows of factors for 3 examples"),
        ("<i8", "(3, 2)", int64([0, 1, -1, 0, 1, 1]), "row 1, factor 0 is -1.0; factors must be whole numbers ≥ 0"),
        ("<f8", "(3, 2)", TestFiles.doubles([0, 1, 1, 0.5, 1, 1]), "row 1, factor 1 is 0.5"),
        ("<f8", "(3, 2)", TestFiles.doubles([0, 1, 1, 0, .nan, 1]), "row 2, factor 0 is nan"),
        ("<i8", "(3, 1, 2)", int64([0, 1, 1, 0, 1, 1]), "must hold an N × K array of factors"),
        ("<i8", "(3, 2)", int64([0, 1, 1, 0, 1, 1 << 40]), "factor values are indices, at most 16777216"),
    ] as [(String, String, [UInt8], String)])
    func badFiles(descr: String, shape: String, bytes: [UInt8], phrase: String) {
        let (data, factors) = Self.files(rows: 3, factors: descr, shape: shape, data: bytes)
        var source = DataSource(kind: .npy, path: data)
        source.factorsPath = factors
        do {
            _ = try source.load()
            Issue.record("no error for \(phrase)")
        } catch {
            #expect(error.description.contains(factors) && error.description.contains(phrase), "\(error)")
        }
    }

    @Test("factor_names must name every column")
    func namesCount() {
        let (data, factors) = Self.files(rows: 3, factors: "<i8", shape: "(3, 2)", data: Self.int64([0, 2, 1, 0, 1, 1]))
        var source = DataSource(kind: .npy, path: data)
        source.factorsPath = factors
        source.factorNames = ["only"]
        #expect { _ = try source.load() } throws: { "\($0)".contains("has 2 factors per example, but data.factor_names names 1") }
    }
}
