/// How a VAE's decoder output scores the data (`model.likelihood`).
public enum Likelihood: Hashable, Codable, Sendable {
    /// Independent Bernoulli per feature; the decoder outputs logits (binary data, images).
    case bernoulli
    /// A categorical distribution over each group of `groupSize` columns; the decoder outputs logits and the
    /// data are class indices per group (the ternary operations: 9 groups of 3).
    case categorical(groupSize: Int)
}
