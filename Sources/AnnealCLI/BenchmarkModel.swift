/// The models `anneal bench` trains: exactly those of ../shared/bench/ref_torch_vae.py.
enum BenchmarkModel: String, CaseIterable {
    /// 784 → 400 ReLU → (μ, log σ²) 20; 20 → 400 ReLU → 784 logits; Bernoulli; batch 128;
    /// 60,000 random binary vectors.
    case mlp784 = "mlp-784"
    /// All 3⁹ = 19,683 ternary operations, one-hot 9 × 3 = 27 inputs; 27 → 128 → 128 → (μ, log σ²) 8;
    /// 8 → 128 → 128 → 9 × 3 logits; categorical per position; batch 256.
    case ternary

    var inputSize: Int { self == .mlp784 ? 784 : 27 }
    var hiddenSizes: [Int] { self == .mlp784 ? [400] : [128, 128] }
    var latentDimension: Int { self == .mlp784 ? 20 : 8 }
    var batchSize: Int { self == .mlp784 ? 128 : 256 }
    var examples: Int { self == .mlp784 ? 60_000 : 19_683 }

    var summary: String {
        switch self {
        case .mlp784: return "784→400→2·20 / 20→400→784, Bernoulli, batch 128, Adam lr 1e-3, 60,000 random binary vectors"
        case .ternary: return "27→128→128→2·8 / 8→128→128→27, categorical 9×3, batch 256, Adam lr 1e-3, 19,683 ternary operations"
        }
    }
}
