import Tensors
import Testing
@testable import Evaluation

@Suite("Disentanglement of a table of codes and factors")
struct DisentanglementTableEvaluationTests {
    @Test("fewer rows than the definitions' samples: all rows, a 2 : 1 split, each said in a note; same seed, same numbers")
    func fallbacksAndDeterminism() throws {
        let factors = try fullGrid([3, 4], repeats: 10)  // 120 rows
        let codes = codesEqualToFactors(factors) { [Double($0 % 7) / 10] }
        var sizes = smallSizes()
        sizes.batchSize = 8
        let metrics: [DisentanglementMetric] = [.mig, .dci, .sap, .factorVAE, .betaVAE, .unsupervised]
        let results = try DisentanglementTableEvaluation.evaluate(codes: codes, factors: factors, metrics: metrics, seed: 4, sizes: sizes)
        #expect(results.map(\.key) == metrics.map(\.rawValue))
        let dci = results[1] as! DisentanglementCompletenessInformativeness
        #expect(dci.trainCount == 80 && dci.testCount == 40 && dci.notes.first!.contains("80 train and 40 test"))
        #expect((results[0] as! MutualInformationGap).notes.contains { $0.contains("all 120 are used") })
        let again = try DisentanglementTableEvaluation.evaluate(codes: codes, factors: factors, metrics: metrics, seed: 4, sizes: sizes)
        for (a, b) in zip(results, again) { #expect(a.figures.map { $0.value } == b.figures.map { $0.value }) }
        #expect(results.allSatisfy { $0.figures.allSatisfy { $0.value.map { $0.isFinite } ?? true } })
    }

    @Test("rows that do not match, too few rows for a split, and factor metrics without factors are errors")
    func errors() throws {
        let factors = try fullGrid([3], repeats: 3)
        #expect(throws: EvaluationError.self) { try DisentanglementTableEvaluation.evaluate(codes: Tensor<Double>([[1, 2]]), factors: factors, metrics: [.mig]) }
        #expect(throws: EvaluationError.self) { try DisentanglementTableEvaluation.evaluate(codes: codesEqualToFactors(factors) { _ in [1] }, factors: factors, metrics: [.dci]) }
        #expect(throws: EvaluationError.self) { try DisentanglementTableEvaluation.evaluate(codes: Tensor<Double>([[1, 2], [2, 1], [3, 3]]), factors: nil, metrics: [.sap]) }
        // A factor with 300 values, about 267 of them among the 400 training rows (a measurement, not an index): refused
        // before any classifier is fitted (at most 256).
        let many = try GroundTruthFactors(names: ["x"], count: 600, values: (0..<600).map { $0 / 2 })
        let codes = Tensor<Double>(rows: 600, columns: 2, scalars: (0..<1200).map { Double($0 % 17) })
        for metric in [DisentanglementMetric.dci, .sap] {
            #expect(throws: EvaluationError.self) { try DisentanglementTableEvaluation.evaluate(codes: codes, factors: many, metrics: [metric]) }
        }
    }
}
