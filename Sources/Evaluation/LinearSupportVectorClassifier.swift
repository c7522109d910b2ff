import Foundation

/// A linear support-vector classifier on one feature, to the definition of scikit-learn's
/// `LinearSVC(C=0.01, class_weight="balanced")` (liblinear, Fan et al. 2008), the estimator
/// disentanglement_lib's SAP score fits per code and factor:
///
///     minimise ½(w² + b²) + Σ_i C_i · max(0, 1 − y_i (w x_i + b))²,   y_i ∈ {−1, +1}
///
/// squared hinge loss, L2 penalty, and the intercept b fitted as the weight of a constant feature 1
/// (liblinear's `intercept_scaling=1`), so b is penalised too. Class weights "balanced":
/// c_k = n / (K · n_k). Two classes: one problem, the larger class label +1, C_i = C·c_{y_i}. More classes:
/// one-vs-rest, one problem per class k with y_i = +1 for class k and −1 otherwise, and, as liblinear weights
/// them, C_i = C·c_k for class k's examples and C for the rest. Prediction: the class with the largest
/// w_k x + b_k (the first on ties); two classes: the larger label when w x + b > 0.
///
/// Each problem is solved exactly by generalised Newton steps on (w, b) (the objective is convex and piecewise
/// quadratic) with a backtracking line search, to a gradient below 10⁻¹² relative to the objective's scale;
/// scikit-learn's liblinear stops at its tolerance 10⁻⁴, so its coefficients differ from this optimum in
/// their last digits (the README gives measured differences).
public struct LinearSupportVectorClassifier: Sendable {
    /// The distinct training labels, increasing.
    public let classes: [Int]
    /// Slope w_k and intercept b_k per problem (one problem for two classes).
    public let weights: [Double]
    public let intercepts: [Double]
    public let regularization: Double

    /// Fits `labels` from the single feature `values` (finite, one per label, at least two distinct labels).
    public init(values: [Double], labels: [Int], regularization: Double = 0.01) throws(EvaluationError) {
        let metric = "linear SVC"
        guard values.count == labels.count, values.count >= 2 else {
            throw EvaluationError(metric: metric, "needs at least 2 values with one label each (got \(values.count) values, \(labels.count) labels)")
        }
        guard values.allSatisfy(\.isFinite) else { throw EvaluationError(metric: metric, "a value is not finite") }
        guard regularization > 0, regularization.isFinite else { throw EvaluationError(metric: metric, "C must be > 0, not \(regularization)") }
        let classes = Array(Set(labels)).sorted()
        guard classes.count >= 2 else {
            throw EvaluationError(metric: metric, "the training labels have one value (\(classes.first.map(String.init) ?? "none")); a classifier needs at least 2")
        }
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let encoded = labels.map { index[$0]! }
        var counts = [Int](repeating: 0, count: classes.count)
        for label in encoded { counts[label] += 1 }
        let n = Double(values.count), k = Double(classes.count)
        let classWeight = counts.map { n / (k * Double($0)) }
        var weights = [Double](), intercepts = [Double]()
        let problems = classes.count == 2 ? [1] : Array(0..<classes.count)
        for positive in problems {
            var signs = [Double](repeating: 0, count: values.count)
            var costs = [Double](repeating: 0, count: values.count)
            for i in 0..<values.count {
                signs[i] = encoded[i] == positive ? 1 : -1
                if classes.count == 2 { costs[i] = regularization * classWeight[encoded[i]] }
                else { costs[i] = encoded[i] == positive ? regularization * classWeight[positive] : regularization }
            }
            let (w, b) = Self.solve(values: values, signs: signs, costs: costs)
            weights.append(w)
            intercepts.append(b)
        }
        self.classes = classes
        self.weights = weights
        self.intercepts = intercepts
        self.regularization = regularization
    }

    /// f(w, b) = ½(w² + b²) + Σ C_i max(0, 1 − s_i(w x_i + b))².
    static func objective(_ w: Double, _ b: Double, values: [Double], signs: [Double], costs: [Double]) -> Double {
        var total = 0.5 * (w * w + b * b)
        for i in values.indices {
            let margin = 1 - signs[i] * (w * values[i] + b)
            if margin > 0 { total += costs[i] * margin * margin }
        }
        return total
    }

    /// The minimiser of `objective`, by generalised Newton steps: gradient (w, b) − 2 Σ_{margin>0} C_i s_i m_i (x_i, 1),
    /// generalised Hessian I + 2 Σ_{margin>0} C_i (x_i, 1)(x_i, 1)ᵀ.
    static func solve(values: [Double], signs: [Double], costs: [Double]) -> (Double, Double) {
        var w = 0.0, b = 0.0
        var current = objective(w, b, values: values, signs: signs, costs: costs)
        let scale = max(1, costs.reduce(0, +))
        for _ in 0..<200 {
            var gw = w, gb = b, hww = 1.0, hwb = 0.0, hbb = 1.0
            for i in values.indices {
                let x = values[i]
                let margin = 1 - signs[i] * (w * x + b)
                guard margin > 0 else { continue }
                let c = 2 * costs[i]
                gw -= c * signs[i] * margin * x
                gb -= c * signs[i] * margin
                hww += c * x * x
                hwb += c * x
                hbb += c
            }
            if max(abs(gw), abs(gb)) <= 1e-12 * scale { break }
            let determinant = hww * hbb - hwb * hwb
            let dw = -(hbb * gw - hwb * gb) / determinant
            let db = -(hww * gb - hwb * gw) / determinant
            let slope = gw * dw + gb * db
            var step = 1.0
            var accepted = false
            while step > 1e-12 {
                let candidate = objective(w + step * dw, b + step * db, values: values, signs: signs, costs: costs)
                if candidate <= current + 1e-4 * step * slope {
                    w += step * dw
                    b += step * db
                    current = candidate
                    accepted = true
                    break
                }
                step /= 2
            }
            if !accepted { break }
        }
        return (w, b)
    }

    /// The predicted class of each value.
    public func predict(_ values: [Double]) -> [Int] {
        values.map { x in
            if classes.count == 2 { return weights[0] * x + intercepts[0] > 0 ? classes[1] : classes[0] }
            var best = 0
            for k in 1..<classes.count where weights[k] * x + intercepts[k] > weights[best] * x + intercepts[best] { best = k }
            return classes[best]
        }
    }

    /// The share of `values` predicted as their `labels`.
    public func accuracy(values: [Double], labels: [Int]) -> Double {
        guard !values.isEmpty else { return 0 }
        return Double(zip(predict(values), labels).filter { $0 == $1 }.count) / Double(values.count)
    }
}
