import Testing
@testable import Tensors

@Suite("Graph")
struct GraphTests {
    @Test("loss values on fixed inputs, with the arithmetic")
    func lossValues() {
        let graph = Graph<Double>()
        // Bernoulli: logit 0, target 1 → log 2; logit 2, target 0 → 2 + log(1 + e⁻²) = 2.126928.
        let bce = graph.binaryCrossEntropyWithLogits(graph.constant(Tensor([[0, 2]])), targets: graph.constant(Tensor([[1, 0]])))
        #expect(abs(graph.scalar(bce) - (Double.log(2) + 2 + Double.log(1 + Double.exp(-2)))) < 1e-15)
        // KL(N(1, e⁰) ‖ N(0, 1)) = ½(1 + 1 − 1 − 0) = 0.5; KL(N(0, e²) ‖ N(0, 1)) = ½(e² − 1 − 2) = 2.194528.
        let kl = graph.klStandardNormal(mean: graph.constant(Tensor([[1, 0]])), logVariance: graph.constant(Tensor([[0, 2]])))
        #expect(graph.tensor(kl).scalars == [0.5, (Double.exp(2) - 3) / 2])
        // Categorical: logits (0, 0, ln 2) → p = (¼, ¼, ½); label 2 → −log ½.
        let labels = graph.labels(rows: 1, columns: 1) { $0[0] = 2 }
        let ce = graph.categoricalCrossEntropy(graph.constant(Tensor([[0, 0, Double.log(2)]])), labels: labels, groupSize: 3)
        #expect(abs(graph.scalar(ce) - Double.log(2)) < 1e-15)
        // Gaussian NLL of t = 1 under N(0, e⁰): ½(log 2π + 0 + 1).
        let nll = graph.gaussianNegativeLogLikelihood(mean: graph.constant(Tensor([[0]])), logVariance: graph.constant(Tensor([[0]])), target: graph.constant(Tensor([[1]])))
        #expect(abs(graph.scalar(nll) - (Double.log(2 * Double.pi) + 1) / 2) < 1e-15)
        // KL between N(1, e⁰) and N(0, e^(ln 4)): ½(ln 4 − 0 + (1 + 1)/4 − 1) = ½(ln 4 − ½).
        let klq = graph.klDiagonalGaussians(meanQ: graph.constant(Tensor([[1]])), logVarianceQ: graph.constant(Tensor([[0]])),
                                            meanP: graph.constant(Tensor([[0]])), logVarianceP: graph.constant(Tensor([[Double.log(4)]])))
        #expect(abs(graph.scalar(klq) - (Double.log(4) - 0.5) / 2) < 1e-15)
    }

    @Test("softmax rows sum to one and log-sum-exp is stable for large inputs")
    func stability() {
        let graph = Graph<Double>()
        let x = graph.constant(Tensor([[1000, 1001, 1002, -5, 0, 5]]))
        let softmax = graph.tensor(graph.softmax(x, groupSize: 3))
        #expect(abs(softmax.scalars[0..<3].reduce(0, +) - 1) < 1e-15)
        #expect(abs(graph.tensor(graph.logSumExp(x, groupSize: 3))[0, 0] - (1002 + Double.log(1 + Double.exp(-1) + Double.exp(-2)))) < 1e-12)
        let bce = graph.binaryCrossEntropyWithLogits(graph.constant(Tensor([[-1000, 1000]])), targets: graph.constant(Tensor([[1, 0]])))
        #expect(graph.scalar(bce) == 2000)
    }

    @Test("gradients accumulate across backward passes until zeroed; a parameter bound twice is one node")
    func accumulation() {
        let parameter = ParameterTensor(Tensor<Double>([[2, 3]]))
        let graph = Graph<Double>()
        let p = graph.parameter(parameter)
        #expect(graph.parameter(parameter) == p)
        graph.backward(graph.sum(graph.multiply(p, p)))  // d/dp Σ p² = 2p
        #expect(parameter.gradientTensor.scalars == [4, 6])
        graph.reset()
        graph.backward(graph.sum(graph.parameter(parameter)))  // + 1
        #expect(parameter.gradientTensor.scalars == [5, 7])
        parameter.zeroGradient()
        #expect(parameter.gradientTensor.scalars == [0, 0])
        graph.reset()
        graph.backward(graph.sum(graph.scale(graph.parameter(parameter), by: 3)))
        #expect(parameter.gradientTensor.scalars == [3, 3])
    }

    @Test("after the first step, a training step allocates nothing (the arenas reuse every buffer)")
    func steadyStateAllocatesNothing() {
        var generator = RandomGenerator(seed: 5)
        let weight = ParameterTensor(Tensor<Float>(rows: 16, columns: 12, repeating: 0.1))
        let bias = ParameterTensor(Tensor<Float>(rows: 1, columns: 16))
        let graph = Graph<Float>()
        var counts: [Int] = []
        for step in 0..<5 {
            graph.reset()
            let rows = step == 3 ? 5 : 8  // a short last batch fits in the buffers already there
            let x = graph.constant(rows: rows, columns: 12) { generator.fillNormal($0) }
            let h = graph.relu(graph.linear(x, weight: graph.parameter(weight), bias: graph.parameter(bias)))
            let (mean, logVariance) = graph.splitColumns(h, at: 8)
            let noise = graph.constant(rows: rows, columns: 8) { generator.fillNormal($0) }
            let z = graph.reparameterize(mean: mean, logVariance: logVariance, noise: noise)
            let loss = graph.mean(graph.add(graph.sumOverColumns(graph.square(z)), graph.sumOverColumns(graph.klStandardNormal(mean: mean, logVariance: logVariance))))
            graph.backward(loss)
            counts.append(graph.allocations)
        }
        #expect(counts[0] > 0)
        #expect(Set(counts).count == 1, "allocations per step: \(counts)")
    }

    @Test("a fused linear + activation gives the bits of linear then the activation, forward and backward",
          arguments: [UnaryOperation.relu, .leakyRelu(slope: 0.01), .elu(alpha: 1), .tanh, .sigmoid, .softplus])
    func fusedLinearActivationMatchesSeparateNodes(activation: UnaryOperation) {
        var generator = RandomGenerator(seed: 9)
        var input = Tensor<Float>(rows: 37, columns: 45), upstream = Tensor<Float>(rows: 37, columns: 33)
        input.withUnsafeMutableBufferPointer { generator.fillNormal($0) }
        upstream.withUnsafeMutableBufferPointer { generator.fillNormal($0) }
        var weightValues = Tensor<Float>(rows: 33, columns: 45), biasValues = Tensor<Float>(rows: 1, columns: 33)
        weightValues.withUnsafeMutableBufferPointer { generator.fillUniform($0, low: -0.3, high: 0.3) }
        biasValues.withUnsafeMutableBufferPointer { generator.fillUniform($0, low: -0.3, high: 0.3) }
        func run(fused: Bool) -> (Tensor<Float>, Tensor<Float>, Tensor<Float>, Tensor<Float>) {
            let weight = ParameterTensor(weightValues), bias = ParameterTensor(biasValues)
            let graph = Graph<Float>()
            let xParameter = ParameterTensor(input)
            let xVariable = graph.parameter(xParameter)
            let h = fused ? graph.linear(xVariable, weight: graph.parameter(weight), bias: graph.parameter(bias), activation: activation)
                          : graph.apply(activation, graph.linear(xVariable, weight: graph.parameter(weight), bias: graph.parameter(bias)))
            let loss = graph.sum(graph.multiply(h, graph.constant(upstream)))
            graph.backward(loss)
            return (graph.tensor(h), Tensor(rows: 33, columns: 45, copying: weight.gradient.pointer), Tensor(rows: 1, columns: 33, copying: bias.gradient.pointer),
                    Tensor(rows: 37, columns: 45, copying: xParameter.gradient.pointer))
        }
        let fused = run(fused: true), separate = run(fused: false)
        #expect(fused.0 == separate.0)
        #expect(fused.1 == separate.1)
        #expect(fused.2 == separate.2)
        #expect(fused.3 == separate.3)
    }

    @Test("a second backward pass on one tape starts its intermediate gradients afresh")
    func secondPassOnOneTape() {
        // u = x·w (element-wise, shared), L₁ = Σu, L₂ = 2·Σu. dL₁/dw = x, dL₂/dw = 2x. Before the fix the
        // second pass added into u's stale gradient from the first and gave 3x.
        let graph = Graph<Double>()
        let w = ParameterTensor(Tensor<Double>([[1, 2, 3]]))
        let x = graph.constant(Tensor([[0.5, -1, 4]]))
        let u = graph.multiply(x, graph.parameter(w))
        let first = graph.sum(u)
        let second = graph.scale(graph.sum(u), by: 2)
        graph.backward(first)
        #expect(w.gradientTensor.scalars == [0.5, -1, 4])
        w.zeroGradient()
        graph.backward(second)
        #expect(w.gradientTensor.scalars == [1, -2, 8])
    }

    @Test("backward from several roots gives the gradient of the seeded sum in one pass")
    func multipleRoots() {
        // L = 3·Σ(x·w) + 0.5·Σ(w²): dL/dw = 3x + w = (2.5, −1, 15) for x = (0.5, −1, 4), w = (1, 2, 3).
        let graph = Graph<Double>()
        let w = ParameterTensor(Tensor<Double>([[1, 2, 3]]))
        let parameter = graph.parameter(w)
        let x = graph.constant(Tensor([[0.5, -1, 4]]))
        let a = graph.sum(graph.multiply(x, parameter))
        let b = graph.sum(graph.square(parameter))
        graph.backward(roots: [a, b], seeds: [3, 0.5])
        #expect(w.gradientTensor.scalars == [2.5, -1, 15])
        // The same as two passes with the gradients adding up in the parameter.
        w.zeroGradient()
        graph.backward(a, seed: 3)
        graph.backward(b, seed: 0.5)
        #expect(w.gradientTensor.scalars == [2.5, -1, 15])
    }
}
