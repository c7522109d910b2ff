import Testing
@testable import Data

@Suite("Built-in data sets and splits")
struct BuiltInDataTests {
    @Test("ternary operations: 3⁹ operations, one-hot digits, labels = 3-adic valuation (9 for index 0)")
    func ternary() {
        let data = TernaryOperations.dataset()
        #expect(data.count == 19_683 && data.featureCount == 27)
        #expect(TernaryOperations.valuation(0) == 9 && TernaryOperations.valuation(1) == 0 && TernaryOperations.valuation(18) == 2 && TernaryOperations.valuation(19_682) == 0)
        #expect(TernaryOperations.digits(5) == [0, 0, 0, 0, 0, 0, 0, 1, 2])  // 5 = 1·3 + 2
        #expect(data.labels?[18] == 2 && data.labels?[0] == 9 && data.classCount == 10)
        #expect(Array(data.categories![45..<54]) == [0, 0, 0, 0, 0, 0, 0, 1, 2])
        // Row 5: one 1 per group of 3, at the digit: position 7 holds 1 (feature 7·3 + 1 = 22), position 8
        // holds 2 (feature 8·3 + 2 = 26), the other positions 0 (features 0, 3, …, 18).
        let row = Array(data.features[(5 * 27)..<(6 * 27)])
        #expect(row.reduce(0, +) == 9)
        #expect(row[22] == 1 && row[26] == 1 && row[21] == 0 && row[24] == 0 && row[0] == 1 && row[18] == 1)
        // Valuation counts: 3⁹ · (2/3) · (1/3)^v for v < 9, and index 0.
        let counts = (0...9).map { v in data.labels!.filter { $0 == v }.count }
        #expect(counts == [13_122, 4_374, 1_458, 486, 162, 54, 18, 6, 2, 1])
    }

    @Test("shapes: 768 binary 16 × 16 images, 192 per shape, every shape inside the image")
    func shapes() {
        let data = ProceduralShapes.dataset()
        #expect(data.count == 768 && data.featureCount == 256 && data.classCount == 4)
        #expect(data.isBinary)
        #expect((0..<4).allSatisfy { shape in data.labels!.filter { $0 == shape }.count == 192 })
        for i in 0..<data.count {
            let pixels = data.features[(i * 256)..<((i + 1) * 256)].reduce(0, +)
            #expect(pixels >= 9, "image \(i) has \(pixels) pixels")
        }
    }

    @Test("splits are deterministic by seed, disjoint and complete; one that leaves nothing to train on is an error")
    func splits() throws {
        let a = try DataSplit(count: 100, validationFraction: 0.2, seed: 3)
        #expect(a == (try DataSplit(count: 100, validationFraction: 0.2, seed: 3)))
        #expect(a != (try DataSplit(count: 100, validationFraction: 0.2, seed: 4)))
        #expect(a.validation.count == 20 && a.training.count == 80)
        #expect(Set(a.validation).isDisjoint(with: a.training) && Set(a.validation + a.training) == Set(0..<100))
        #expect(throws: DataError("validation_fraction 0.9 of 1 examples leaves nothing to train on")) {
            try DataSplit(count: 1, validationFraction: 0.9, seed: 0)
        }
        #expect((try DataSplit(count: 10, validationFraction: 0, seed: 0)).validation.isEmpty)
    }
}
