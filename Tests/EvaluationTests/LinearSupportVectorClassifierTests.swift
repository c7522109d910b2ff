import Testing
@testable import Evaluation

@Suite("Linear support-vector classifier")
struct LinearSupportVectorClassifierTests {
    @Test("two symmetric points: the optimum of ½(w² + b²) + 0.01·Σ(1 − y(wx + b))² is w = 1/26, b = 0")
    func knownOptimum() throws {
        // x = −1 (class 0), +1 (class 1), balanced weights 1: by symmetry b = 0, and d/dw [½w² + 0.02(1 − w)²]
        // = w − 0.04(1 − w) = 0 → w = 0.04/1.04 = 1/26.
        let model = try LinearSupportVectorClassifier(values: [-1, 1], labels: [0, 1])
        #expect(abs(model.weights[0] - 1.0 / 26) < 1e-15 && abs(model.intercepts[0]) < 1e-15)
        #expect(model.predict([-0.1, 0.1]) == [0, 1])
    }

    @Test("scikit-learn's LinearSVC(C=0.01, class_weight='balanced') on the fixtures: the same predictions; its converged optimum")
    func againstScikitLearn() throws {
        for (index, fixture) in DisentanglementReference.shared.linear_svc.enumerated() {
            let model = try LinearSupportVectorClassifier(values: fixture.train_values, labels: fixture.train_labels)
            #expect(model.predict(fixture.test_values) == fixture.test_predictions, "case \(index)")
            let converged = zip(model.weights + model.intercepts, fixture.converged_weights + fixture.converged_intercepts).map { abs($0 - $1) }.max()!
            #expect(converged < 1e-12, "case \(index): largest difference from liblinear at tolerance 1e-12: \(converged)")
            let stopped = zip(model.weights + model.intercepts, fixture.weights + fixture.intercepts).map { abs($0 - $1) }.max()!
            // Measured 5.9e-15 and 1.7e-15: liblinear's primal Newton solver is already at the optimum here.
            #expect(stopped < 1e-12, "case \(index): largest difference from liblinear at its default tolerance 1e-4: \(stopped)")
        }
    }

    @Test("one class is an error")
    func oneClass() {
        #expect(throws: EvaluationError.self) { try LinearSupportVectorClassifier(values: [0, 1, 2], labels: [1, 1, 1]) }
    }
}
