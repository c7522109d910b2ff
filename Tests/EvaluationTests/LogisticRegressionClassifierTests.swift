import Foundation
import Testing
@testable import Evaluation

@Suite("Logistic regression classifier")
struct LogisticRegressionClassifierTests {
    @Test("two symmetric points: b = 0 and w = 2σ(−w), the stationary point of 2·log(1 + e^{−w}) + w²/2")
    func knownOptimum() throws {
        let model = try LogisticRegressionClassifier(features: [-1, 1], rows: 2, columns: 1, labels: [0, 1])
        let w = model.coefficients[0]
        #expect(abs(model.intercepts[0]) < 1e-12)
        #expect(abs(w - 2 / (1 + exp(w))) < 1e-10)
    }

    @Test("scikit-learn's LogisticRegression() on the fixtures: the same predictions; its converged optimum")
    func againstScikitLearn() throws {
        for (index, fixture) in DisentanglementReference.shared.logistic_regression.enumerated() {
            let columns = fixture.train_features[0].count
            let model = try LogisticRegressionClassifier(features: flat(fixture.train_features), rows: fixture.train_labels.count, columns: columns, labels: fixture.train_labels)
            #expect(model.predict(features: flat(fixture.test_features), rows: fixture.test_labels.count) == fixture.test_predictions, "case \(index)")
            let mine = model.coefficients + model.intercepts
            // L-BFGS at tolerance 1e-12 stops within 4.2e-7 of the Newton optimum; scikit-learn's default fit
            // (tolerance 1e-4, 13 and 8 iterations here) within 0.0032.
            let converged = zip(mine, flat(fixture.converged_coefficients) + fixture.converged_intercepts).map { abs($0 - $1) }.max()!
            #expect(converged < 1e-6, "case \(index): largest difference from L-BFGS run to convergence: \(converged)")
            let stopped = zip(mine, flat(fixture.coefficients) + fixture.intercepts).map { abs($0 - $1) }.max()!
            #expect(stopped < 0.005, "case \(index): largest difference from scikit-learn's default fit (\(fixture.iterations) iterations): \(stopped)")
            if fixture.intercepts.count > 1 { #expect(abs(model.intercepts.reduce(0, +)) < 1e-12) }
        }
    }

    @Test("one class is an error")
    func oneClass() {
        #expect(throws: EvaluationError.self) { try LogisticRegressionClassifier(features: [0, 1], rows: 2, columns: 1, labels: [0, 0]) }
    }
}
