import Testing
@testable import Data

@Suite("Data set subsets")
struct DatasetSubsetTests {
    @Test("a subset keeps the examples of its labels, in order, and knows which rows of the whole they are")
    func subsetRows() throws {
        let shapes = ProceduralShapes.dataset()
        let subset = try #require(shapes.subset(labels: [1, 3]))
        let rows = shapes.labels!.indices.filter { [1, 3].contains(shapes.labels![$0]) }
        #expect(subset.count == rows.count && subset.source?.count == shapes.count && subset.source?.rows == rows)
        #expect(subset.labels! == rows.map { shapes.labels![$0] })
        #expect(subset.features[0..<256] == shapes.features[(rows[0] * 256)..<(rows[0] * 256 + 256)])
        #expect(subset.classCount == 4 && subset.classNames == shapes.classNames)
        // A subset of a subset still points at the whole.
        let inner = try #require(subset.subset(labels: [3]))
        #expect(inner.source?.count == shapes.count && inner.source?.rows == rows.filter { shapes.labels![$0] == 3 })
        #expect(Dataset(name: "plain", count: 2, featureCount: 1, features: [0, 1]).subset(labels: [0]) == nil)
    }

    @Test("subsets split as the whole does: together they hold exactly its training and validation examples")
    func restrictedSplits() throws {
        let shapes = ProceduralShapes.dataset()
        let whole = try DataSplit(count: shapes.count, validationFraction: 0.2, seed: 11)
        var validation: [Int] = [], training: [Int] = []
        for group: Set<Int32> in [[0], [1, 2], [3]] {
            let subset = try #require(shapes.subset(labels: group))
            let split = try whole.restricted(to: subset.source!.rows)
            validation += split.validation.map { subset.source!.rows[$0] }
            training += split.training.map { subset.source!.rows[$0] }
        }
        #expect(validation.sorted() == whole.validation && training.sorted() == whole.training)
        // A subset entirely in validation has nothing to train on.
        #expect(throws: DataError.self) { try whole.restricted(to: [whole.validation[0]]) }
    }
}
