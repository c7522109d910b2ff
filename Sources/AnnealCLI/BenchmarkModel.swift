/// The models `anneal bench` trains: exactly those of ../shared/bench/ref_torch_vae.py.
enum BenchmarkModel: String, CaseIterable {
    /// 784 → 400 ReLU → (μ, log σ²) 20; 20 → 400 ReLU → 784 logits; Bernoulli; batch 128;
    /// 60,000 random binary vectors.
    case mlp784 = "mlp-784"
    /// All 3⁹ = 19,683 ternary operations, one-hot 9 × 3 = 27 inputs; 27 → 128 → 128 → (μ, log σ²) 8;
    /// 8 → 128 → 128 → 9 × 3 logits; categorical per position; batch 256.
    case ternary
    /// disentanglement_lib's convolutional VAE for 64×64 images (`model.architecture` conv64), latent 10;
    /// Bernoulli; batch 64; Adam lr 1e-4; 2,048 random binary 1×64×64 images.
    case conv64 = "conv-64"

    /// The model section of its run config.
    var modelSection: String {
        switch self {
        case .mlp784: return #"{"type": "vae", "hidden_sizes": [400], "latent_dim": 20, "likelihood": "bernoulli"}"#
        case .ternary: return #"{"type": "vae", "hidden_sizes": [128, 128], "latent_dim": 8, "likelihood": "categorical"}"#
        case .conv64: return #"{"type": "vae", "architecture": "conv64", "latent_dim": 10, "likelihood": "bernoulli"}"#
        }
    }

    var batchSize: Int {
        switch self {
        case .mlp784: return 128
        case .ternary: return 256
        case .conv64: return 64
        }
    }

    var examples: Int {
        switch self {
        case .mlp784: return 60_000
        case .ternary: return 19_683
        case .conv64: return 2_048
        }
    }

    var learningRate: Double { self == .conv64 ? 1e-4 : 1e-3 }

    var summary: String {
        switch self {
        case .mlp784: return "784→400→2·20 / 20→400→784, Bernoulli, batch 128, Adam lr 1e-3, 60,000 random binary vectors"
        case .ternary: return "27→128→128→2·8 / 8→128→128→27, categorical 9×3, batch 256, Adam lr 1e-3, 19,683 ternary operations"
        case .conv64: return "disentanglement_lib's conv VAE (conv 32,32,64,64 → dense 256 → 2·10; dense 256,1024 → transposed conv 64,32,32,1), Bernoulli, batch 64, Adam lr 1e-4, 2,048 random binary 64×64 images"
        }
    }
}
