import Testing
@testable import Layers
@testable import Models
@testable import Tensors

@Suite("VariationalAutoencoder")
struct VariationalAutoencoderTests {
    /// Trains a small Bernoulli VAE on 64 fixed binary patterns and returns the per-epoch mean losses and
    /// the final parameters.
    func train(seed: UInt64, epochs: Int) -> (losses: [Double], parameters: [[Float]], allocations: [Int]) {
        var generator = RandomGenerator(seed: seed)
        let vae = VariationalAutoencoder<Float>(inputSize: 12, hiddenSizes: [16], latentDimension: 2, likelihood: .bernoulli, generator: &generator)
        let optimizer = Optimizer(parameters: vae.parameters, configuration: .adam(), learningRate: 0.01)
        // Four prototypes repeated: about ln 4 = 1.4 nats of information per example, against 12·ln 2 = 8.3
        // nats for a model that has learnt nothing.
        let prototypes: [[Float]] = [[1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0], [0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1],
                                     [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0], [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1]]
        let patterns = (0..<64).map { prototypes[$0 % 4] }
        let graph = Graph<Float>()
        var order = Array(0..<64)
        var losses: [Double] = [], allocations: [Int] = []
        for _ in 0..<epochs {
            generator.shuffle(&order)
            var total = 0.0
            for batch in 0..<4 {
                graph.reset()
                let input = graph.constant(rows: 16, columns: 12) { buffer in
                    for row in 0..<16 { for j in 0..<12 { buffer[row * 12 + j] = patterns[order[batch * 16 + row]][j] } }
                }
                let noise = graph.constant(rows: 16, columns: 2) { generator.fillNormal($0) }
                let output = vae.forward(input, target: .values(input), noise: noise, beta: 1, in: graph)
                graph.backward(output.loss)
                optimizer.update()
                optimizer.zeroGradients()
                total += Double(graph.scalar(output.loss))
            }
            losses.append(total / 4)
            allocations.append(graph.allocations)
        }
        return (losses, vae.parameters.map { $0.tensor.tensor.scalars }, allocations)
    }

    @Test("training lowers the loss well below its start")
    func learns() {
        let losses = train(seed: 1, epochs: 60).losses
        #expect(losses.first! > 7)  // ≈ 12·ln 2 at initialisation
        #expect(losses.last! < 0.5 * losses.first!, "losses \(losses.first!) → \(losses.last!)")
    }

    @Test("the same seed gives bit-identical parameters; another seed does not")
    func determinism() {
        let a = train(seed: 3, epochs: 5), b = train(seed: 3, epochs: 5), c = train(seed: 4, epochs: 5)
        #expect(a.parameters == b.parameters)
        #expect(a.losses == b.losses)
        #expect(a.parameters != c.parameters)
    }

    @Test("a training step allocates nothing after the first")
    func noAllocations() {
        let allocations = train(seed: 2, epochs: 4).allocations
        #expect(Set(allocations).count == 1, "\(allocations)")
    }

    @Test("parameter names and sizes: the benchmark's mlp-784 model")
    func benchmarkShape() {
        var generator = RandomGenerator(seed: 0)
        let vae = VariationalAutoencoder<Float>(inputSize: 784, hiddenSizes: [400], latentDimension: 20, likelihood: .bernoulli, generator: &generator)
        #expect(vae.parameters.map(\.name) == ["encoder.layers.0.weight", "encoder.layers.0.bias", "encoder.layers.1.weight", "encoder.layers.1.bias",
                                               "decoder.layers.0.weight", "decoder.layers.0.bias", "decoder.layers.1.weight", "decoder.layers.1.bias"])
        let total: Int = vae.parameters.map { $0.tensor.count }.reduce(0, +)
        let expected: Int = 784 * 400 + 400 + 400 * 40 + 40 + 20 * 400 + 400 + 400 * 784 + 784  // 652,824
        #expect(total == expected)
    }

    @Test("the categorical likelihood: loss at initialisation is near 9·log 3 per example")
    func categorical() {
        var generator = RandomGenerator(seed: 0)
        let vae = VariationalAutoencoder<Float>(inputSize: 27, hiddenSizes: [32], latentDimension: 4, likelihood: .categorical(groupSize: 3), generator: &generator)
        let graph = Graph<Float>()
        let labels = graph.labels(rows: 8, columns: 9) { buffer in for i in buffer.indices { buffer[i] = Int32(i % 3) } }
        let input = graph.constant(rows: 8, columns: 27) { buffer in
            buffer.update(repeating: 0)
            for i in 0..<72 { buffer[(i / 9) * 27 + (i % 9) * 3 + i % 3] = 1 }
        }
        let noise = graph.constant(rows: 8, columns: 4, repeating: 0)
        let output = vae.forward(input, target: .labels(labels), noise: noise, beta: 0, in: graph)
        let reconstruction = graph.tensor(output.reconstruction).scalars
        // Small random logits: each of the 9 positions costs about log 3 = 1.0986.
        #expect(reconstruction.allSatisfy { abs($0 - 9 * Float.log(3)) < 1.5 })
    }
}
