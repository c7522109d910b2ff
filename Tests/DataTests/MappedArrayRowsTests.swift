import Foundation
import Testing
@testable import Data

@Suite("Mapped arrays in their stored type")
struct MappedArrayRowsTests {
    /// Loads `path` through `DataSource` (mapped) and through the in-memory reader, for comparison.
    static func both(_ kind: DataSource.Kind, _ path: String, scale: DataSource.Scale = .auto, layout: String? = nil) throws -> (mapped: Dataset, inMemory: Dataset) {
        var source = DataSource(kind: kind, path: path)
        source.scale = scale
        source.layout = layout
        let mapped = try source.load()
        let array = kind == .npy ? try NPYReader.read(path) : try IDXReader.read(path)
        let inMemory = try DataSource.dataset(array, labels: nil, file: path, labelsFile: nil, scale: scale, layout: layout)
        return (mapped, inMemory)
    }

    @Test("every stored type reads as the in-memory reader reads it, bit for bit, divided as data.scale says")
    func storedTypes() throws {
        // uint8 pixels 0–255 (divided by 255), int16 whole numbers ≤ 16 (divided by their maximum 16), float64 kept.
        let bytes: [UInt8] = [0, 255, 128, 7, 1, 2]
        let u8 = TestFiles.temporary("u8.npy", TestFiles.npy(descr: "|u1", shape: "(3, 2)", data: bytes))
        let small: [Int16] = [0, 16, -0, 3, 5, 9]
        let i16 = TestFiles.temporary("i16.npy", TestFiles.npy(descr: "<i2", shape: "(2, 3)", data: small.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) }))
        let doubles = [0.1, -2.5, 1e-3, 3.25]
        let f8 = TestFiles.temporary("f8.npy", TestFiles.npy(descr: "<f8", shape: "(2, 2)", data: TestFiles.doubles(doubles)))
        // IDX is big-endian: int32 values 1, 70000, −3, 4.
        let ints: [Int32] = [1, 70_000, -3, 4]
        let idx = TestFiles.temporary("x-idx2-int", TestFiles.idx(type: 0x0C, shape: [2, 2], data: ints.flatMap { withUnsafeBytes(of: $0.bigEndian, Array.init) }))
        for (kind, path, expected) in [(DataSource.Kind.npy, u8, bytes.map { Float($0) / 255 }), (.npy, i16, small.map { Float($0) / 16 }),
                                       (.npy, f8, doubles.map { Float($0) }), (.idx, idx, ints.map { Float($0) })] {
            let (mapped, inMemory) = try Self.both(kind, path)
            #expect(mapped.storage is MappedArrayRows, "\(path)")
            #expect(mapped.features.map(\.bitPattern) == inMemory.features.map(\.bitPattern), "\(path)")
            #expect(mapped.features.map(\.bitPattern) == expected.map(\.bitPattern), "\(path)")
            #expect(mapped.fingerprint == inMemory.fingerprint && mapped.notes == inMemory.notes && mapped.scaleDivisor == inMemory.scaleDivisor)
        }
    }

    @Test("rows in any order, (N, H, W, C) images read channels first, a subset and a validation file, without copies")
    func rowsAndLayouts() throws {
        let nhwc = ImageChannelsTests.file("nhwc")
        let (mapped, inMemory) = try Self.both(.npy, nhwc, scale: DataSource.Scale.none, layout: "nhwc")
        let width = mapped.featureCount
        var batch = [Float](repeating: .nan, count: 3 * width)
        batch.withUnsafeMutableBufferPointer { mapped.storage.copyRows([1, 0, 1], width: width, into: $0.baseAddress!) }
        let all = inMemory.features
        #expect(batch == Array(all[width...]) + Array(all[..<width]) + Array(all[width...]))
        // Example 1, channel 2, row 1, column 0 = 123 at 1·18 + (2·2 + 1)·3 + 0 (ImageChannelsTests' values).
        #expect(mapped.features[33] == 123)
        let selected = mapped.storage.selecting(rows: [1])
        #expect(selected is SelectedRows && selected.values == Array(all[width...]))
        let joined = ConcatenatedRows(mapped.storage, selected)
        #expect(joined.rowCount == 3 && joined.values == all + Array(all[width...]))
    }

    @Test("standardisation applied per batch equals the in-memory formula (x − μ)/σ")
    func standardizedRows() throws {
        let values: [Float] = [1, 2, 3, 10, 20, 30, 5, 7, 1, 0, 2, 9]
        let f4 = TestFiles.temporary("s.npy", TestFiles.npy(descr: "<f4", shape: "(4, 3)", data: TestFiles.floats(values)))
        var source = DataSource(kind: .npy, path: f4)
        source.scale = .none
        let dataset = try source.load()
        let statistics = FeatureStandardization(fitting: dataset, rows: [0, 1, 3])
        let standardized = try statistics.applied(to: dataset)
        var expected = values
        statistics.apply(&expected)
        #expect(standardized.storage is StandardizedRows && standardized.features.map(\.bitPattern) == expected.map(\.bitPattern))
        // Means over rows 0, 1, 3 only: (1 + 10 + 0)/3, (2 + 20 + 2)/3, (3 + 30 + 9)/3.
        #expect(statistics.mean == [Float(11.0 / 3), 8, 14])
    }

    @Test("rows wider than a conversion block, with an early check wanting the first row: the scan's buffer holds it")
    func wideRowsWithPreview() throws {
        // 2 rows of 1,100,000 values > 2^20 = 1,048,576 (a block); byte j of row r is (j + r) mod 251.
        let width = 1_100_000
        let bytes = (0..<(2 * width)).map { UInt8(($0 % width + $0 / width) % 251) }
        let path = TestFiles.temporary("wide.npy", TestFiles.npy(descr: "|u1", shape: "(2, \(width))", data: bytes))
        var seen = 0
        var options = DataReadOptions()
        options.earlyCheck = { preview throws(DataError) in seen = preview.values.count }
        var source = DataSource(kind: .npy, path: path)
        source.scale = .none
        let dataset = try source.load(options: options)
        #expect(seen == width && dataset.storage[width + 5] == 6 && dataset.storage[width - 1] == Float((width - 1) % 251))
        #expect(IDXSource().claims(path: "/data/mnist-idx/pngs/") == false && IDXSource().claims(path: "/data/train-images-idx3-ubyte"))
    }

    @Test("a file that is not what its header says is refused when opened, as the in-memory reader refuses it")
    func badFiles() {
        let truncated = TestFiles.temporary("t.npy", Array(TestFiles.npy(descr: "<f4", shape: "(3, 2)", data: TestFiles.floats([1, 2, 3, 4, 5, 6])).dropLast(3)))
        #expect { _ = try DataSource(kind: .npy, path: truncated).load() } throws: { "\($0)".contains("is truncated") && "\($0)".contains("t.npy") }
        let nan = TestFiles.temporary("n.npy", TestFiles.npy(descr: "<f4", shape: "(2, 2)", data: TestFiles.floats([1, 2, .nan, 4])))
        #expect { _ = try DataSource(kind: .npy, path: nan).load() } throws: { "\($0)".contains("example 1, feature 0 is nan") }
        let bools = TestFiles.temporary("b.npy", TestFiles.npy(descr: "|b1", shape: "(1, 2)", data: [1, 2]))
        #expect { _ = try DataSource(kind: .npy, path: bools).load() } throws: { "\($0)".contains("bool data holds only 0") }
        let empty = TestFiles.temporary("e.npy", [])
        #expect { _ = try DataSource(kind: .npy, path: empty).load() } throws: { "\($0)".contains("is not a .npy file") }
    }
}
