@testable import Data
import Testing

@Suite("Feature standardisation")
struct FeatureStandardizationTests {
    /// Four examples of three features; the statistics come from rows 0–2 only.
    static let dataset = Dataset(name: "t", count: 4, featureCount: 3, features: [1, 10, 5, 3, 30, 5, 5, 20, 5, 100, 0, 7])

    @Test("mean and population standard deviation of the training rows only; a constant feature keeps σ = 1")
    func fit() {
        let standardization = FeatureStandardization(fitting: Self.dataset, rows: [0, 1, 2])
        // Feature 0: mean (1 + 3 + 5)/3 = 3, variance (4 + 0 + 4)/3 = 8/3, σ = 1.6329932.
        // Feature 1: mean 20, variance (100 + 100 + 0)/3 = 200/3, σ = 8.1649658. Feature 2: constant 5, σ := 1.
        // Row 3 (not fitted on) is ignored: with it the mean of feature 0 would be 27.25.
        #expect(standardization.mean == [3, 20, 5])
        #expect(abs(standardization.standardDeviation[0] - 1.6329932) < 1e-6)
        #expect(abs(standardization.standardDeviation[1] - 8.1649658) < 1e-5)
        #expect(standardization.standardDeviation[2] == 1)
        #expect(standardization.constantFeatures(in: Self.dataset, rows: [0, 1, 2]) == 1)
        #expect(standardization.constantFeatures(in: Self.dataset, rows: [0, 3]) == 0)
    }

    @Test("applied: (x − μ)/σ for every example; undo gives the data back; the statistics round-trip through tensors")
    func applyAndUndo() throws {
        let standardization = FeatureStandardization(fitting: Self.dataset, rows: [0, 1, 2])
        var standardised = try standardization.applied(to: Self.dataset)
        #expect(standardised.standardization == standardization)
        let values = standardised.features
        // Row 0: (1 − 3)/1.6329932 = −1.2247449, (10 − 20)/8.1649658 = −1.2247449, (5 − 5)/1 = 0.
        // Row 3: (100 − 3)/1.6329932 = 59.400426, (0 − 20)/8.1649658 = −2.4494897, (7 − 5)/1 = 2.
        for (value, expected) in zip(values, [-1.2247449, -1.2247449, 0, 0, 1.2247449, 0, 1.2247449, 0, 0, 59.400426, -2.4494897, 2] as [Float]) {
            #expect(abs(value - expected) < 1e-5 * max(1, abs(expected)))
        }
        // The fitted rows have mean 0 and variance 1 in every varying feature.
        for feature in 0..<2 {
            let column = (0..<3).map { Double(values[$0 * 3 + feature]) }
            let mean = column.reduce(0, +) / 3
            #expect(abs(mean) < 1e-6 && abs(column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 3 - 1) < 1e-5)
        }
        var restored = values
        standardization.undo(&restored)
        for (value, original) in zip(restored, Self.dataset.features) { #expect(abs(value - original) <= 1e-5 * max(1, abs(original))) }
        #expect(FeatureStandardization(tensors: Dictionary(uniqueKeysWithValues: standardization.tensorEntries.map { ($0.name, $0.values) })) == standardization)
        #expect(FeatureStandardization(tensors: [FeatureStandardization.meanTensorName: [1]]) == nil)
        // Other data must have the same features.
        standardised = Dataset(name: "other", count: 1, featureCount: 2, features: [1, 2])
        #expect { _ = try standardization.applied(to: standardised) } throws: { "\($0)".contains("other has 2 features, but the run standardised 3") }
    }
}
