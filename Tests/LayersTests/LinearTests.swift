import Testing
@testable import Layers
@testable import Tensors

@Suite("Linear and MLP")
struct LinearTests {
    @Test("PyTorch's default initialisation: weights and biases within ±1/√inputs, spread over the range")
    func initialisation() {
        var generator = RandomGenerator(seed: 3)
        let layer = Linear<Float>(inputs: 400, outputs: 300, generator: &generator)
        let bound = Float(1 / 20.0)  // 1/√400
        let weights = layer.weight.tensor.scalars
        #expect(weights.allSatisfy { abs($0) <= bound })
        #expect(weights.max()! > 0.99 * bound && weights.min()! < -0.99 * bound)
        let mean = weights.reduce(0, +) / Float(weights.count)
        #expect(abs(mean) < 0.001)
        // Uniform on [−b, b] has variance b²/3.
        let variance = weights.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(weights.count)
        #expect(abs(variance / (bound * bound / 3) - 1) < 0.02)
        #expect(layer.bias!.tensor.scalars.allSatisfy { abs($0) <= bound })
        #expect(layer.weight.rows == 300 && layer.weight.columns == 400)
    }

    @Test("stable dotted parameter names, as in a PyTorch state_dict")
    func names() {
        var generator = RandomGenerator(seed: 0)
        let mlp = MLP<Float>(sizes: [784, 400, 40], generator: &generator)
        #expect(mlp.parameters(prefix: "encoder").map(\.name) == ["encoder.layers.0.weight", "encoder.layers.0.bias", "encoder.layers.1.weight", "encoder.layers.1.bias"])
        #expect(mlp.multiplyAddsPerExample == 784 * 400 + 400 * 40)
    }

    @Test("an MLP computes linear, activation, linear: the same numbers as the graph ops by hand")
    func forward() {
        var generator = RandomGenerator(seed: 1)
        let mlp = MLP<Double>(sizes: [3, 4, 2], activation: .tanh, generator: &generator)
        let graph = Graph<Double>()
        let x = graph.constant(Tensor([[0.5, -1, 2], [0, 0.25, -0.5]]))
        let y = graph.tensor(mlp(x, in: graph))
        let check = Graph<Double>()
        let h = check.tanh(check.linear(check.constant(Tensor([[0.5, -1, 2], [0, 0.25, -0.5]])), weight: check.constant(mlp.layers[0].weight.tensor), bias: check.constant(mlp.layers[0].bias!.tensor)))
        let expected = check.tensor(check.linear(h, weight: check.constant(mlp.layers[1].weight.tensor), bias: check.constant(mlp.layers[1].bias!.tensor)))
        #expect(y == expected)
        // And by hand for one element: y = W₂·tanh(W₁x + b₁) + b₂.
        let w1 = mlp.layers[0].weight.tensor, b1 = mlp.layers[0].bias!.tensor, w2 = mlp.layers[1].weight.tensor, b2 = mlp.layers[1].bias!.tensor
        let hidden = (0..<4).map { j in Double.tanh(0.5 * w1[j, 0] - 1 * w1[j, 1] + 2 * w1[j, 2] + b1[0, j]) }
        let y00 = (0..<4).reduce(b2[0, 0]) { $0 + hidden[$1] * w2[0, $1] }
        #expect(abs(y[0, 0] - y00) < 1e-12)
    }
}
