import Foundation
import Tensors

/// Fixtures/disentanglement.json: small inputs and scikit-learn's (and NumPy's) outputs on them, written by
/// scripts/generate-disentanglement-fixture.py (which records the versions). Inputs are float32 values.
struct DisentanglementReference: Decodable {
    struct Boosting: Decodable {
        var train_features: [[Double]], train_labels: [Int], test_features: [[Double]], test_labels: [Int]
        var test_predictions: [Int], train_predictions: [Int], test_decision: [DecisionRow], feature_importances: [Double]
        var random_state_spread_scores: Double, random_state_spread_importances: Double
    }
    /// A decision-function row: one number (binomial) or one per class.
    struct DecisionRow: Decodable {
        var values: [Double]
        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let single = try? container.decode(Double.self) { values = [single] } else { values = try container.decode([Double].self) }
        }
    }
    struct SupportVector: Decodable {
        var train_values: [Double], train_labels: [Int], test_values: [Double], test_labels: [Int], test_predictions: [Int]
        var weights: [Double], intercepts: [Double], converged_weights: [Double], converged_intercepts: [Double]
    }
    struct Logistic: Decodable {
        var train_features: [[Double]], train_labels: [Int], test_features: [[Double]], test_labels: [Int]
        var test_predictions: [Int], iterations: Int
        var coefficients: [[Double]], intercepts: [Double], converged_coefficients: [[Double]], converged_intercepts: [Double]
    }
    struct CodesAndFactors: Decodable {
        var codes: [[Double]], factors: [[Int]], bins: [[Int]]
        var mutual_information: [[Double]], entropies: [Double], mig: Double
        var gaussian_total_correlation: Double, wasserstein_dependency: Double, normalized_wasserstein_dependency: Double, mean_mutual_information: Double
        var dci_importance: [[Double]], dci_disentanglement: Double, dci_completeness: Double, dci_test_accuracy: [Double]
        var sap_accuracies: [[Double]], sap: Double
    }
    var scikit_learn: String
    var gradient_boosting: [Boosting]
    var linear_svc: [SupportVector]
    var logistic_regression: [Logistic]
    var codes_and_factors: CodesAndFactors

    static let shared: DisentanglementReference = {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/disentanglement.json")
        return try! JSONDecoder().decode(DisentanglementReference.self, from: Data(contentsOf: path))
    }()
}

/// Row-major values of `rows`.
func flat(_ rows: [[Double]]) -> [Double] { rows.flatMap { $0 } }

/// Single-precision codes from rows (the fixtures' codes are float32 values).
func singleCodes(_ rows: [[Double]]) -> Tensor<Float> {
    Tensor(rows: rows.count, columns: rows.first?.count ?? 0, scalars: rows.flatMap { $0.map { Float($0) } })
}
