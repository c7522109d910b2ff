/// How a model's decoder output scores the data (`model.likelihood`).
public enum Likelihood: Hashable, Codable, Sendable {
    /// Independent Bernoulli per feature; the decoder outputs logits (binary data, images in [0, 1]).
    case bernoulli
    /// Gaussian negative log-likelihood, Σ ½(log 2π + lv + (x − μ)²·e^(−lv)); the decoder outputs μ, and the
    /// log-variance is one learned value per feature (`learnedVariance`) or 0 (unit variance).
    case gaussian(learnedVariance: Bool)
    /// Σ (x − μ)², the sum of squared errors (seed 001's MSE, summed over features rather than averaged). As a
    /// density (importance sampling) it is the Gaussian with variance ½, which adds ½·log π per feature.
    case squaredError
    /// A categorical distribution over each group of columns (the data set says how many classes a group has);
    /// the decoder outputs logits and the targets are class indices per group (the ternary operations: 9 groups
    /// of 3).
    case categorical

    /// The config name.
    public var name: String {
        switch self {
        case .bernoulli: return "bernoulli"
        case .gaussian: return "gaussian"
        case .squaredError: return "mse"
        case .categorical: return "categorical"
        }
    }

    /// Every config name.
    public static let names = ["bernoulli", "gaussian", "mse", "categorical"]
}
