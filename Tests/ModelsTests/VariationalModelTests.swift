import Testing
@testable import Layers
@testable import Models
@testable import Tensors

@Suite("VariationalModel")
struct VariationalModelTests {
    /// Trains a small Bernoulli VAE on 64 fixed binary patterns and returns the per-epoch mean losses and
    /// the final parameters.
    func train(seed: UInt64, epochs: Int) -> (losses: [Double], parameters: [[Float]], allocations: [Int]) {
        var generator = RandomGenerator(seed: seed)
        let vae = VariationalModel<Float>(kind: .vae, likelihood: .bernoulli, featureCount: 12, hiddenSizes: [16], latentSizes: [2], generator: &generator)
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
                let output = vae.forward(input, target: .values(input), conditions: nil, generator: &generator, in: graph)
                let loss = graph.mean(graph.add(output.reconstruction, graph.sumOverColumns(output.klPerDimension[0])))
                graph.backward(loss)
                optimizer.update()
                optimizer.zeroGradients()
                total += Double(graph.scalar(loss))
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
        let vae = VariationalModel<Float>(kind: .vae, likelihood: .bernoulli, featureCount: 784, hiddenSizes: [400], latentSizes: [20], generator: &generator)
        #expect(vae.parameters.map(\.name) == ["encoder.layers.0.weight", "encoder.layers.0.bias", "encoder.layers.1.weight", "encoder.layers.1.bias",
                                               "decoder.layers.0.weight", "decoder.layers.0.bias", "decoder.layers.1.weight", "decoder.layers.1.bias"])
        let total: Int = vae.parameters.map { $0.tensor.count }.reduce(0, +)
        let expected: Int = 784 * 400 + 400 + 400 * 40 + 40 + 20 * 400 + 400 + 400 * 784 + 784  // 652,824
        #expect(total == expected)
    }

    @Test("the categorical likelihood: loss at initialisation is near 9·log 3 per example")
    func categorical() {
        var generator = RandomGenerator(seed: 0)
        let vae = VariationalModel<Float>(kind: .vae, likelihood: .categorical(groupSize: 3), featureCount: 27, hiddenSizes: [32], latentSizes: [4], generator: &generator)
        let graph = Graph<Float>()
        let labels = graph.labels(rows: 8, columns: 9) { buffer in for i in buffer.indices { buffer[i] = Int32(i % 3) } }
        let input = graph.constant(rows: 8, columns: 27) { buffer in
            buffer.update(repeating: 0)
            for i in 0..<72 { buffer[(i / 9) * 27 + (i % 9) * 3 + i % 3] = 1 }
        }
        let output = vae.forward(input, target: .labels(labels), conditions: nil, generator: &generator, in: graph)
        let reconstruction = graph.tensor(output.reconstruction).scalars
        // Small random logits: each of the 9 positions costs about log 3 = 1.0986.
        #expect(reconstruction.allSatisfy { abs($0 - 9 * Float.log(3)) < 1.5 })
    }

    /// The loss of `model` on fixed data, with reparameterisation noise from a fixed seed, as a function of
    /// its parameters' current values.
    static func loss(_ model: VariationalModel<Double>, graph: Graph<Double>, x: Tensor<Double>, labels: [Int32]) -> Graph<Double>.Variable {
        var noise = RandomGenerator(seed: 11)
        let input = graph.constant(x)
        var conditions: Graph<Double>.Variable?
        if model.kind.isConditional {
            conditions = graph.oneHot(graph.labels(rows: x.rows, columns: 1) { for i in $0.indices { $0[i] = labels[i] } }, classes: model.classCount)
        }
        let output = model.forward(input, target: .values(input), conditions: conditions, generator: &noise, in: graph)
        var loss = graph.mean(output.reconstruction)
        for kl in output.klPerDimension { loss = graph.add(loss, graph.scale(graph.mean(graph.sumOverColumns(kl)), by: 0.7)) }
        return loss
    }

    @Test("gradients through each model match central finite differences (Double)", arguments: ModelKind.allCases)
    func modelGradients(kind: ModelKind) {
        var generator = RandomGenerator(seed: 5)
        let likelihoods: [Likelihood] = [.bernoulli, .gaussian(learnedVariance: true), .squaredError]
        for likelihood in likelihoods {
            let model = VariationalModel<Double>(kind: kind, likelihood: likelihood, featureCount: 5, classCount: 3, hiddenSizes: [4],
                                                 latentSizes: kind == .hierarchicalCVAE ? [2, 3] : [2], activation: .tanh, generator: &generator)
            var x = Tensor<Double>(rows: 3, columns: 5)
            x.withUnsafeMutableBufferPointer { generator.fillUniform($0, low: 0, high: 1) }
            let labels: [Int32] = [0, 2, 1]
            let graph = Graph<Double>()
            graph.backward(Self.loss(model, graph: graph, x: x, labels: labels))
            for parameter in model.parameters {
                let analytic = parameter.tensor.gradientTensor
                for element in Swift.stride(from: 0, to: parameter.tensor.count, by: max(1, parameter.tensor.count / 6)) {
                    let original = parameter.tensor.value.pointer[element]
                    let h = 1e-6
                    parameter.tensor.value.pointer[element] = original + h
                    let plus = Graph<Double>()
                    let up = plus.scalar(Self.loss(model, graph: plus, x: x, labels: labels))
                    parameter.tensor.value.pointer[element] = original - h
                    let minus = Graph<Double>()
                    let down = minus.scalar(Self.loss(model, graph: minus, x: x, labels: labels))
                    parameter.tensor.value.pointer[element] = original
                    let numeric = (up - down) / (2 * h)
                    let got = analytic.scalars[element]
                    #expect(abs(got - numeric) <= 1e-6 * max(1, abs(numeric)), "\(kind) \(likelihood.name) \(parameter.name)[\(element)]: \(got) vs \(numeric)")
                }
            }
        }
    }

    @Test("KL term names and parameter names per model")
    func names() {
        var generator = RandomGenerator(seed: 0)
        let hierarchical = VariationalModel<Float>(kind: .hierarchicalCVAE, likelihood: .gaussian(learnedVariance: true), featureCount: 6, classCount: 2,
                                                   hiddenSizes: [8], latentSizes: [2, 3], generator: &generator)
        #expect(hierarchical.kind.klTermNames == ["global", "local"])
        let names = hierarchical.parameters.map(\.name)
        #expect(names.first == "global_encoder.layers.0.weight")
        #expect(names.contains("local_encoder.layers.1.bias") && names.contains("local_prior.layers.0.weight") && names.last == "decoder.log_variance")
        // The local encoder sees x (6), z_g (2) and y (2); the prior z_g and y; the decoder z_g, z_l and y.
        #expect(hierarchical.localEncoder!.inputs == 10 && hierarchical.localPrior!.inputs == 4 && hierarchical.decoder.inputs == 7)
        #expect(hierarchical.encoder.outputs == 4 && hierarchical.localEncoder!.outputs == 6)
    }
}
