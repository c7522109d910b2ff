import Testing
@testable import Training

@Suite("Epoch positions")
struct EpochPositionTests {
    @Test("saved start values and quantity sums are read by name when the plan's order changed")
    func reorders() {
        var sums = EpochSums(terms: [("reconstruction", 1), ("kl", 2)], measurements: 0, quantities: 3)
        sums.quantitySums = [10, 20, 30]
        let position = EpochPosition(epoch: 1, order: [0, 1], nextBatch: 1, sums: sums, startValues: [1, 2, 3], quantityNames: ["lr", "capacity", "temperature"])
        let same = position.reordered(for: ["lr", "capacity", "temperature"])
        #expect(same.startValues == [1, 2, 3] && same.quantitySums == [10, 20, 30])
        let moved = position.reordered(for: ["capacity", "lr", "temperature"])
        #expect(moved.startValues == [2, 1, 3] && moved.quantitySums == [20, 10, 30])
        // A quantity the checkpoint does not know: nothing can be matched.
        let unknown = position.reordered(for: ["capacity", "lr", "beta"])
        #expect(unknown.startValues == nil && unknown.quantitySums.isEmpty)
        // Without names (an older checkpoint) only the same length is trusted.
        var unnamed = position
        unnamed.quantityNames = nil
        #expect(unnamed.reordered(for: ["a", "b", "c"]).startValues == [1, 2, 3] && unnamed.reordered(for: ["a", "b"]).startValues == nil)
    }
}
