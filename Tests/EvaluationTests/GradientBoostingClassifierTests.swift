import Foundation
import Testing
@testable import Evaluation

@Suite("Gradient boosting classifier")
struct GradientBoostingClassifierTests {
    @Test("scikit-learn's GradientBoostingClassifier() on the fixtures: the same predictions, scores and importances")
    func againstScikitLearn() throws {
        for (index, fixture) in DisentanglementReference.shared.gradient_boosting.enumerated() {
            let columns = fixture.train_features[0].count
            let model = try GradientBoostingClassifier(features: flat(fixture.train_features), rows: fixture.train_labels.count, columns: columns, labels: fixture.train_labels)
            #expect(model.predict(features: flat(fixture.test_features), rows: fixture.test_labels.count) == fixture.test_predictions, "case \(index)")
            #expect(model.predict(features: flat(fixture.train_features), rows: fixture.train_labels.count) == fixture.train_predictions, "case \(index)")
            let decision = model.decisionFunction(features: flat(fixture.test_features), rows: fixture.test_labels.count)
            let scoreDifference = zip(decision, fixture.test_decision.flatMap(\.values)).map { abs($0 - $1) }.max()!
            let importanceDifference = zip(model.featureImportances, fixture.feature_importances).map { abs($0 - $1) }.max()!
            if columns == 1 {
                // One feature: no ties between features, the same trees at every stage; scores equal to rounding
                // (measured 1.8e-15).
                #expect(fixture.random_state_spread_scores == 0)
                #expect(scoreDifference < 1e-10, "case \(index): largest score difference \(scoreDifference)")
                #expect(model.featureImportances == [1])
            } else {
                // Several features: a node of 2 examples that several features separate is an exact tie, which
                // scikit-learn breaks by its random feature order, this by feature index. Both then differ from
                // scikit-learn with random_state 0 about as much as its random states 1–3 do (measured: 0.60 and
                // 0.68 in a score, 0.0027 and 0.0083 in an importance here; scikit-learn's own spread 0.65 and
                // 0.64, 0.0017 and 0.0019). The predictions are the same.
                #expect(scoreDifference < 1, "case \(index): largest score difference \(scoreDifference)")
                #expect(importanceDifference < 0.01, "case \(index): largest importance difference \(importanceDifference)")
            }
        }
    }

    @Test("one informative feature beside a constant one: every split on it, importance 1 and 0, perfect accuracy")
    func separable() throws {
        // Label = [x > 0.5]; feature 1 is constant, so no tree can split on it.
        let xs = (0..<40).map { Double($0) / 39 }
        let features = xs.flatMap { [$0, 7.0] }
        let labels = xs.map { $0 > 0.5 ? 1 : 0 }
        let model = try GradientBoostingClassifier(features: features, rows: 40, columns: 2, labels: labels)
        #expect(model.featureImportances == [1, 0])
        #expect(model.accuracy(features: features, rows: 40, labels: labels) == 1)
        #expect(model.classes == [0, 1])
        // The first tree splits at the midpoint of 20/39 and 19/39 (the only boundary separating the labels).
        #expect(model.trees[0][0].threshold[0] == (19.0 / 39) / 2 + (20.0 / 39) / 2 || model.trees[0][0].threshold[0] == Double(Float(19.0 / 39)) / 2 + Double(Float(20.0 / 39)) / 2)
    }

    @Test("initial scores are the log-priors: binomial log(p/(1 − p)), multinomial log p − mean log p")
    func initialScores() throws {
        var parameters = GradientBoostingClassifier.Parameters()
        parameters.stages = 0
        let binary = try GradientBoostingClassifier(features: [0, 1, 2, 3], rows: 4, columns: 1, labels: [0, 1, 1, 1], parameters: parameters)
        #expect(abs(binary.initialScores[0] - log(3.0)) < 1e-15)  // p = 3/4: log(0.75/0.25)
        let three = try GradientBoostingClassifier(features: [0, 1, 2, 3], rows: 4, columns: 1, labels: [0, 1, 2, 2], parameters: parameters)
        let logs = [log(0.25), log(0.25), log(0.5)], mean = logs.reduce(0, +) / 3
        #expect(zip(three.initialScores, logs).allSatisfy { abs($0 - ($1 - mean)) < 1e-15 })
        #expect(three.featureImportances == [0])  // no tree: importances all 0
    }

    @Test("one class, or mismatched sizes, is an error, not a crash")
    func badInput() {
        #expect(throws: EvaluationError.self) { try GradientBoostingClassifier(features: [0, 1], rows: 2, columns: 1, labels: [3, 3]) }
        #expect(throws: EvaluationError.self) { try GradientBoostingClassifier(features: [0, 1, 2], rows: 2, columns: 1, labels: [0, 1]) }
        #expect(throws: EvaluationError.self) { try GradientBoostingClassifier(features: [0, .nan], rows: 2, columns: 1, labels: [0, 1]) }
    }
}
