import Tensors
import Testing
@testable import Evaluation

@Suite("SAP score")
struct SeparatedAttributePredictabilityTests {
    @Test("scikit-learn's LinearSVC accuracies and the SAP score on the fixture (rows 0–399 train, 400–599 test)")
    func againstScikitLearn() throws {
        let fixture = DisentanglementReference.shared.codes_and_factors
        func table(_ rows: Range<Int>) throws -> GroundTruthFactors {
            try GroundTruthFactors(names: ["a", "b"], count: rows.count, values: rows.flatMap { fixture.factors[$0] })
        }
        let result = try SeparatedAttributePredictability(trainCodes: singleCodes(Array(fixture.codes[0..<400])), trainFactors: table(0..<400),
                                                           testCodes: singleCodes(Array(fixture.codes[400..<600])), testFactors: table(400..<600))
        #expect(result.accuracies == fixture.sap_accuracies)
        #expect(abs(result.score - fixture.sap) < 1e-15)
    }

    @Test("codes equal to binary factors: each code predicts its own factor perfectly, SAP high; independent codes: SAP near 0")
    func knownAnswers() throws {
        let factors = try fullGrid([2, 2, 2], repeats: 30)
        let codes = codesEqualToFactors(factors)
        let result = try SeparatedAttributePredictability(trainCodes: codes, trainFactors: factors, testCodes: codes, testFactors: factors)
        for k in 0..<3 { #expect(result.accuracies[k][k] == 1) }
        #expect(result.score == 0.5)  // the other codes are independent: balanced classes, accuracy exactly ½
        var generator = RandomGenerator(seed: 2)
        var noise = [Double](repeating: 0, count: factors.count * 3)
        noise.withUnsafeMutableBufferPointer { generator.fillNormal($0) }
        let independent = Tensor(rows: factors.count, columns: 3, scalars: noise)
        let chance = try SeparatedAttributePredictability(trainCodes: independent, trainFactors: factors, testCodes: independent, testFactors: factors)
        #expect(chance.score < 0.1, "SAP \(chance.score)")
    }
}
