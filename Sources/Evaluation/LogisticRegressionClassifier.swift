import Foundation
import Tensors

/// L2-regularised logistic regression, to the definition of scikit-learn's `LogisticRegression()` with its
/// defaults (C = 1, intercept fitted and not penalised), the estimator of disentanglement_lib's β-VAE score:
///
///     minimise Σ_i ℓ_i + (1 / 2C)·‖W‖²
///
/// More than two classes: multinomial, scores F_ik = W_k·x_i + b_k, ℓ_i = log Σ_k e^{F_ik} − F_{i,y_i}.
/// Two classes: binomial, one score F_i = w·x_i + b, ℓ_i = log(1 + e^{F_i}) − [y_i = class 1]·F_i.
/// Prediction: the class of the largest score (two classes: class 1 when F > 0).
///
/// scikit-learn minimises this with L-BFGS for at most 100 iterations (tolerance 10⁻⁴ on the gradient),
/// which often stops before the optimum. This solves it by Newton's method with a backtracking line search
/// (the Hessian from BLAS products, the step from its symmetric eigendecomposition) until the largest gradient
/// component of the per-example objective is below 10⁻¹⁰ or a step lowers it by less than 10⁻¹⁵ of itself, i.e. the
/// exact optimum to rounding; the multinomial intercepts
/// are kept summing to 0, as gradient steps from 0 keep scikit-learn's. The README gives the measured
/// difference from scikit-learn's stopped solution.
public struct LogisticRegressionClassifier: Sendable {
    /// The distinct training labels, increasing.
    public let classes: [Int]
    /// Row-major scores × features: class k's weights (one row for two classes).
    public let coefficients: [Double]
    public let intercepts: [Double]
    public let features: Int
    public let inverseRegularization: Double
    /// Newton iterations taken.
    public let iterations: Int

    /// Fits `labels` from the row-major `rows` × `columns` `features` (finite; at least two distinct labels).
    public init(features values: [Double], rows: Int, columns: Int, labels: [Int], inverseRegularization: Double = 1) throws(EvaluationError) {
        let metric = "logistic regression"
        guard rows >= 2, columns >= 1, values.count == rows * columns, labels.count == rows else {
            throw EvaluationError(metric: metric, "needs at least 2 rows and 1 feature, with one label per row (got \(rows) × \(columns), \(values.count) values, \(labels.count) labels)")
        }
        guard values.allSatisfy(\.isFinite) else { throw EvaluationError(metric: metric, "a feature is not finite") }
        let classes = Array(Set(labels)).sorted()
        guard classes.count >= 2 else {
            throw EvaluationError(metric: metric, "the training labels have one value (\(classes.first.map(String.init) ?? "none")); a classifier needs at least 2")
        }
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let encoded = labels.map { index[$0]! }
        let binary = classes.count == 2
        let scoreCount = binary ? 1 : classes.count
        let width = columns + 1
        // X̃ = [X, 1], row-major rows × (D + 1).
        var augmented = [Double](repeating: 1, count: rows * width)
        for i in 0..<rows { for f in 0..<columns { augmented[i * width + f] = values[i * columns + f] } }
        let parameterCount = scoreCount * width  // θ[k·width + f], f = D the intercept
        let n = Double(rows)
        let penalty = 1 / (inverseRegularization * n)  // per-example objective: mean ℓ + penalty/2 ‖W‖²

        func scores(_ theta: [Double]) -> [Double] {
            var result = [Double](repeating: 0, count: rows * scoreCount)
            Double.gemm(transposeA: false, transposeB: true, m: rows, n: scoreCount, k: width, alpha: 1,
                        a: augmented, lda: width, b: theta, ldb: width, beta: 0, c: &result, ldc: scoreCount)
            return result
        }
        // The per-example objective and the probabilities (binomial: σ(F); multinomial: softmax rows).
        func evaluate(_ theta: [Double]) -> (objective: Double, probabilities: [Double]) {
            var f = scores(theta)
            var loss = 0.0
            if binary {
                for i in 0..<rows {
                    let score = f[i]
                    loss += max(score, 0) + Foundation.log1p(Foundation.exp(-abs(score))) - (encoded[i] == 1 ? score : 0)
                    f[i] = score >= 0 ? 1 / (1 + Foundation.exp(-score)) : Foundation.exp(score) / (1 + Foundation.exp(score))
                }
            } else {
                for i in 0..<rows {
                    let base = i * scoreCount
                    var largest = -Double.infinity
                    for k in 0..<scoreCount { largest = max(largest, f[base + k]) }
                    var total = 0.0
                    for k in 0..<scoreCount { total += Foundation.exp(f[base + k] - largest) }
                    loss += largest + Foundation.log(total) - f[base + encoded[i]]
                    for k in 0..<scoreCount { f[base + k] = Foundation.exp(f[base + k] - largest) / total }
                }
            }
            var squares = 0.0
            for k in 0..<scoreCount { for j in 0..<columns { squares += theta[k * width + j] * theta[k * width + j] } }
            return (loss / n + 0.5 * penalty * squares, f)
        }

        var theta = [Double](repeating: 0, count: parameterCount)
        var (current, probabilities) = evaluate(theta)
        var iterations = 0
        var weighted = [Double](repeating: 0, count: rows * width)
        var block = [Double](repeating: 0, count: width * width)
        while iterations < 100 {
            // Gradient: X̃ᵀ(P − Y)/n + penalty·W.
            var residual = probabilities
            for i in 0..<rows {
                if binary { residual[i] -= encoded[i] == 1 ? 1 : 0 } else { residual[i * scoreCount + encoded[i]] -= 1 }
            }
            var gradient = [Double](repeating: 0, count: parameterCount)  // scoreCount × width
            Double.gemm(transposeA: true, transposeB: false, m: scoreCount, n: width, k: rows, alpha: 1 / n,
                        a: residual, lda: scoreCount, b: augmented, ldb: width, beta: 0, c: &gradient, ldc: width)
            for k in 0..<scoreCount { for j in 0..<columns { gradient[k * width + j] += penalty * theta[k * width + j] } }
            if gradient.map(abs).max()! < 1e-10 { break }
            // Hessian blocks H_kl = X̃ᵀ diag(p_k(δ_kl − p_l)) X̃ / n, plus the penalty on the weights.
            var hessian = [Double](repeating: 0, count: parameterCount * parameterCount)
            for k in 0..<scoreCount {
                for l in k..<scoreCount {
                    for i in 0..<rows {
                        let pk = probabilities[i * scoreCount + k], pl = probabilities[i * scoreCount + l]
                        let weight = binary ? pk * (1 - pk) : pk * ((k == l ? 1 : 0) - pl)
                        for j in 0..<width { weighted[i * width + j] = weight * augmented[i * width + j] }
                    }
                    Double.gemm(transposeA: true, transposeB: false, m: width, n: width, k: rows, alpha: 1 / n,
                                a: weighted, lda: width, b: augmented, ldb: width, beta: 0, c: &block, ldc: width)
                    for a in 0..<width {
                        for c in 0..<width {
                            hessian[(k * width + a) * parameterCount + l * width + c] = block[a * width + c]
                            hessian[(l * width + c) * parameterCount + k * width + a] = block[a * width + c]
                        }
                    }
                }
                for j in 0..<columns { hessian[(k * width + j) * parameterCount + k * width + j] += penalty }
            }
            // The multinomial loss does not change when every intercept moves by the same amount (a null
            // direction u of the Hessian, orthogonal to the gradient): adding u·uᵀ makes the system definite
            // and keeps the step orthogonal to u, so the intercepts keep summing to 0.
            if !binary {
                let u = 1 / Double(scoreCount).squareRoot()
                for k in 0..<scoreCount { for l in 0..<scoreCount { hessian[(k * width + columns) * parameterCount + l * width + columns] += u * u } }
            }
            let decomposition = try SymmetricEigendecomposition(hessian, n: parameterCount, vectors: true, metric: metric)
            var step = [Double](repeating: 0, count: parameterCount)
            let largest = decomposition.values.last ?? 1
            for e in 0..<parameterCount where decomposition.values[e] > 1e-14 * largest {
                let vector = decomposition.vectors[(e * parameterCount)..<((e + 1) * parameterCount)]
                var projection = 0.0
                for (a, v) in zip(gradient, vector) { projection += a * v }
                let scale = -projection / decomposition.values[e]
                for (p, v) in vector.enumerated() { step[p] += scale * v }
            }
            var slope = 0.0
            for p in 0..<parameterCount { slope += gradient[p] * step[p] }
            var length = 1.0
            var moved = false
            var decrease = 0.0
            while length > 1e-10 {
                let candidate = zip(theta, step).map { $0 + length * $1 }
                let (value, candidateProbabilities) = evaluate(candidate)
                if value <= current + 1e-4 * length * slope {
                    theta = candidate
                    decrease = current - value
                    current = value
                    probabilities = candidateProbabilities
                    moved = true
                    break
                }
                length /= 2
            }
            iterations += 1
            // Converged to rounding: the gradient's last digits are rounding error of its sums (about 10⁻¹⁰
            // on some problems), and a full Newton step no longer lowers the objective.
            if !moved || decrease <= 1e-15 * abs(current) { break }
        }
        self.classes = classes
        coefficients = (0..<scoreCount).flatMap { k in theta[(k * width)..<(k * width + columns)] }
        intercepts = (0..<scoreCount).map { theta[$0 * width + columns] }
        self.features = columns
        self.inverseRegularization = inverseRegularization
        self.iterations = iterations
    }

    /// The predicted class of each row of row-major `values`.
    public func predict(features values: [Double], rows: Int) -> [Int] {
        precondition(values.count == rows * features)
        let scoreCount = intercepts.count
        return (0..<rows).map { i in
            var best = 0, bestScore = -Double.infinity
            for k in 0..<scoreCount {
                var score = intercepts[k]
                for f in 0..<features { score += coefficients[k * features + f] * values[i * features + f] }
                if scoreCount == 1 { return classes[score > 0 ? 1 : 0] }
                if score > bestScore { best = k; bestScore = score }
            }
            return classes[best]
        }
    }

    /// The share of rows predicted as their labels.
    public func accuracy(features values: [Double], rows: Int, labels: [Int]) -> Double {
        guard rows > 0 else { return 0 }
        return Double(zip(predict(features: values, rows: rows), labels).filter { $0 == $1 }.count) / Double(rows)
    }
}
