import Tensors
import Testing
@testable import Evaluation

/// Every combination of factor values once, the last factor fastest, each combination `repeats` times.
func fullGrid(_ sizes: [Int], repeats: Int = 1) throws -> GroundTruthFactors {
    var rows: [[Int]] = [[]]
    for size in sizes { rows = rows.flatMap { row in (0..<size).map { row + [$0] } } }
    let repeated = rows.flatMap { Array(repeating: $0, count: repeats) }
    return try GroundTruthFactors(names: sizes.indices.map { "f\($0)" }, count: repeated.count, values: repeated.flatMap { $0 })
}

/// Codes equal to the factors (as numbers), optionally with extra columns.
func codesEqualToFactors(_ factors: GroundTruthFactors, extra: (Int) -> [Double] = { _ in [] }) -> Tensor<Double> {
    let rows = (0..<factors.count).map { r in (0..<factors.factorCount).map { Double(factors.value(row: r, factor: $0)) } + extra(r) }
    return Tensor(rows)
}

@Suite("Mutual information gap")
struct MutualInformationGapTests {
    @Test("NumPy's histogram bins, scikit-learn's mutual_info_score and the gap on the fixture")
    func againstReference() throws {
        let fixture = DisentanglementReference.shared.codes_and_factors
        let factors = try GroundTruthFactors(names: ["a", "b"], count: fixture.factors.count, values: fixture.factors.flatMap { $0 })
        for j in 0..<3 {
            let column = fixture.codes.map { $0[j] }
            #expect(DiscreteCodes.histogramBins(column, singlePrecision: true) == fixture.bins.map { $0[j] })
        }
        let result = try MutualInformationGap(codes: singleCodes(fixture.codes), factors: factors)
        for j in 0..<3 { for k in 0..<2 { #expect(abs(result.mutualInformation[j][k] - fixture.mutual_information[j][k]) < 1e-13) } }
        #expect(zip(result.entropies, fixture.entropies).allSatisfy { abs($0 - $1) < 1e-13 })
        #expect(abs(result.score - fixture.mig) < 1e-13)
    }

    @Test("codes equal to independent factors: MIG = 1 (each code's bins are its factor's values)")
    func codesAreFactors() throws {
        let factors = try fullGrid([3, 4, 5])
        let result = try MutualInformationGap(codes: codesEqualToFactors(factors), factors: factors)
        #expect(abs(result.score - 1) < 1e-12)
        #expect(result.perFactor.allSatisfy { abs($0 - 1) < 1e-12 })
    }

    @Test("codes independent of the factors: MIG below 0.01 at 4,800 examples (plug-in bias ≈ 19·4/(2·4800) nats)")
    func independentCodes() throws {
        let factors = try fullGrid([5, 4], repeats: 240)
        var generator = RandomGenerator(seed: 7)
        var noise = [Double](repeating: 0, count: factors.count * 3)
        noise.withUnsafeMutableBufferPointer { generator.fillNormal($0) }
        let result = try MutualInformationGap(codes: Tensor(rows: factors.count, columns: 3, scalars: noise), factors: factors)
        #expect(result.score >= 0 && result.score < 0.01, "MIG \(result.score)")
    }

    @Test("permuting the codes changes nothing")
    func permutation() throws {
        let fixture = DisentanglementReference.shared.codes_and_factors
        let factors = try GroundTruthFactors(names: ["a", "b"], count: fixture.factors.count, values: fixture.factors.flatMap { $0 })
        let permuted = fixture.codes.map { [$0[2], $0[0], $0[1]] }
        #expect(try MutualInformationGap(codes: singleCodes(permuted), factors: factors).score == MutualInformationGap(codes: singleCodes(fixture.codes), factors: factors).score)
    }

    @Test("a factor with one value, one code dimension or mismatched rows is an error")
    func badInput() throws {
        let factors = try GroundTruthFactors(names: ["a"], count: 3, values: [2, 2, 2])
        #expect(throws: EvaluationError.self) { try MutualInformationGap(codes: Tensor<Double>([[0, 1], [1, 0], [2, 2]]), factors: factors) }
        let two = try GroundTruthFactors(names: ["a"], count: 3, values: [0, 1, 1])
        #expect(throws: EvaluationError.self) { try MutualInformationGap(codes: Tensor<Double>([[0], [1], [2]]), factors: two) }
        #expect(throws: EvaluationError.self) { try MutualInformationGap(codes: Tensor<Double>([[0, 1], [1, 0]]), factors: two) }
        #expect(throws: EvaluationError.self) { try GroundTruthFactors(names: ["a"], count: 2, values: [0, -1]) }
    }
}
