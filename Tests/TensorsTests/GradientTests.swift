import Testing
@testable import Tensors

/// Every operation's gradient against central finite differences, in Double.
@Suite("Gradients vs finite differences")
struct GradientTests {
    let a = TestTensors.uniform(3, 4, seed: 1)
    let b = TestTensors.uniform(3, 4, seed: 2)
    let positive = TestTensors.uniform(3, 4, low: 0.2, high: 2, seed: 3)

    @Test("matmul with every combination of transposes")
    func matmul() {
        let x = TestTensors.uniform(3, 4, seed: 4), y = TestTensors.uniform(4, 5, seed: 5)
        let xt = TestTensors.uniform(4, 3, seed: 6), yt = TestTensors.uniform(5, 4, seed: 7)
        GradientCheck(inputs: [x, y]).run("matmul") { g, v in g.matmul(v[0], v[1]) }
        GradientCheck(inputs: [xt, y]).run("matmul Aᵀ") { g, v in g.matmul(v[0], v[1], transposeA: true) }
        GradientCheck(inputs: [x, yt]).run("matmul Bᵀ") { g, v in g.matmul(v[0], v[1], transposeB: true) }
        GradientCheck(inputs: [xt, yt]).run("matmul AᵀBᵀ") { g, v in g.matmul(v[0], v[1], transposeA: true, transposeB: true) }
    }

    @Test("linear: x·Wᵀ + b, with and without bias")
    func linear() {
        let x = TestTensors.uniform(3, 4, seed: 8), w = TestTensors.uniform(5, 4, seed: 9), bias = TestTensors.uniform(1, 5, seed: 10)
        GradientCheck(inputs: [x, w, bias]).run("linear") { g, v in g.linear(v[0], weight: v[1], bias: v[2]) }
        GradientCheck(inputs: [x, w]).run("linear without bias") { g, v in g.linear(v[0], weight: v[1], bias: nil) }
    }

    @Test("linear with a fused activation: f(x·Wᵀ + b), with and without bias, for every activation",
          arguments: [UnaryOperation.relu, .leakyRelu(slope: 0.1), .elu(alpha: 0.7), .tanh, .sigmoid, .softplus])
    func linearActivation(activation: UnaryOperation) {
        let x = TestTensors.uniform(3, 4, seed: 8), w = TestTensors.uniform(5, 4, seed: 9), bias = TestTensors.uniform(1, 5, seed: 10)
        GradientCheck(inputs: [x, w, bias]).run("linear + \(activation)") { g, v in g.linear(v[0], weight: v[1], bias: v[2], activation: activation) }
        GradientCheck(inputs: [x, w]).run("linear + \(activation) without bias") { g, v in g.linear(v[0], weight: v[1], bias: nil, activation: activation) }
        // Used twice downstream, and feeding a second fused layer: every contribution arrives.
        let w2 = TestTensors.uniform(2, 5, seed: 27)
        GradientCheck(inputs: [x, w, bias, w2]).run("two fused layers + \(activation)") { g, v in
            let h = g.linear(v[0], weight: v[1], bias: v[2], activation: activation)
            return g.add(g.linear(h, weight: v[3], bias: nil, activation: activation), g.linear(h, weight: v[3], bias: nil))
        }
    }

    @Test("element-wise arithmetic and row-vector broadcasting")
    func arithmetic() {
        GradientCheck(inputs: [a, b]).run("add") { g, v in g.add(v[0], v[1]) }
        GradientCheck(inputs: [a, b]).run("subtract") { g, v in g.subtract(v[0], v[1]) }
        GradientCheck(inputs: [a, b]).run("multiply") { g, v in g.multiply(v[0], v[1]) }
        GradientCheck(inputs: [a, TestTensors.uniform(1, 4, seed: 11)]).run("addRowVector") { g, v in g.addRowVector(v[0], v[1]) }
        GradientCheck(inputs: [a]).run("a variable used twice accumulates both paths") { g, v in g.multiply(v[0], g.add(v[0], v[0])) }
    }

    static let unaryOperations: [UnaryOperation] = [
        .relu, .leakyRelu(slope: 0.1), .elu(alpha: 0.7), .tanh, .sigmoid, .softplus, .exp, .square,
        .scale(-2.5), .addScalar(0.3), .clampMin(0.1), .absolute,
    ]

    @Test("every element-wise function", arguments: unaryOperations)
    func unary(operation: UnaryOperation) {
        // Inputs kept away from the kinks of ReLU-like functions, where finite differences straddle the kink.
        var x = TestTensors.uniform(3, 4, seed: 12)
        x.withUnsafeMutableBufferPointer { values in
            for i in values.indices where abs(values[i] - 0.1) < 0.05 || abs(values[i]) < 0.05 { values[i] += 0.2 }
        }
        GradientCheck(inputs: [x]).run("\(operation)") { g, v in g.apply(operation, v[0]) }
        // With large inputs the overflow-safe forms must keep the same derivative.
        GradientCheck(inputs: [TestTensors.uniform(2, 3, low: 5, high: 30, seed: 13)], tolerance: 1e-5).run("\(operation) large") { g, v in
            g.apply(operation == .exp || operation == .square ? .tanh : operation, v[0])
        }
    }

    @Test("log and sqrt on positive inputs")
    func positiveOnly() {
        GradientCheck(inputs: [positive]).run("log") { g, v in g.log(v[0]) }
        GradientCheck(inputs: [positive]).run("sqrt") { g, v in g.sqrt(v[0]) }
    }

    @Test("sums and means over each axis and overall")
    func reductions() {
        GradientCheck(inputs: [a]).run("sumOverColumns") { g, v in g.sumOverColumns(v[0]) }
        GradientCheck(inputs: [a]).run("mean over columns") { g, v in g.sumOverColumns(v[0], mean: true) }
        GradientCheck(inputs: [a]).run("sumOverRows") { g, v in g.sumOverRows(v[0]) }
        GradientCheck(inputs: [a]).run("mean over rows") { g, v in g.sumOverRows(v[0], mean: true) }
        GradientCheck(inputs: [a]).run("sum") { g, v in g.sum(v[0]) }
        GradientCheck(inputs: [a]).run("mean") { g, v in g.mean(v[0]) }
    }

    @Test("log-sum-exp, softmax and log-softmax over groups of columns")
    func groups() {
        let x = TestTensors.uniform(3, 6, low: -3, high: 3, seed: 14)
        for groupSize in [2, 3, 6] {
            GradientCheck(inputs: [x]).run("logSumExp \(groupSize)") { g, v in g.logSumExp(v[0], groupSize: groupSize) }
            GradientCheck(inputs: [x]).run("softmax \(groupSize)") { g, v in g.softmax(v[0], groupSize: groupSize) }
            GradientCheck(inputs: [x]).run("logSoftmax \(groupSize)") { g, v in g.logSoftmax(v[0], groupSize: groupSize) }
        }
    }

    @Test("concatenate, slice and split along features")
    func concatenateAndSlice() {
        let x = TestTensors.uniform(3, 2, seed: 15)
        GradientCheck(inputs: [a, x]).run("concatenateColumns") { g, v in g.concatenateColumns(v[0], v[1]) }
        GradientCheck(inputs: [a]).run("sliceColumns") { g, v in g.sliceColumns(v[0], start: 1, count: 2) }
        GradientCheck(inputs: [a]).run("split then recombine") { g, v in
            let (left, right) = g.splitColumns(v[0], at: 1)
            return g.multiply(g.sliceColumns(right, start: 0, count: 1), left)
        }
    }

    @Test("gather picks one entry per group; one-hot has no gradient")
    func gather() {
        let x = TestTensors.uniform(2, 6, seed: 16)
        GradientCheck(inputs: [x]).run("gather") { g, v in
            let labels = g.labels(rows: 2, columns: 2) { $0[0] = 2; $0[1] = 0; $0[2] = 1; $0[3] = 1 }
            return g.gather(v[0], labels: labels, groupSize: 3)
        }
        GradientCheck(inputs: [TestTensors.uniform(2, 3, seed: 17)]).run("multiply by one-hot") { g, v in
            let labels = g.labels(rows: 2, columns: 1) { $0[0] = 2; $0[1] = 0 }
            return g.multiply(v[0], g.oneHot(labels, classes: 3))
        }
    }

    @Test("Bernoulli, categorical, squared-error and Gaussian losses")
    func losses() {
        let logits = TestTensors.uniform(3, 4, low: -4, high: 4, seed: 18)
        let targets = TestTensors.uniform(3, 4, low: 0, high: 1, seed: 19)
        GradientCheck(inputs: [logits, targets]).run("binaryCrossEntropyWithLogits") { g, v in g.binaryCrossEntropyWithLogits(v[0], targets: v[1]) }
        GradientCheck(inputs: [TestTensors.uniform(3, 6, low: -3, high: 3, seed: 20)]).run("categoricalCrossEntropy") { g, v in
            let labels = g.labels(rows: 3, columns: 2) { buffer in for i in buffer.indices { buffer[i] = Int32(i % 3) } }
            return g.categoricalCrossEntropy(v[0], labels: labels, groupSize: 3)
        }
        GradientCheck(inputs: [a, b]).run("squaredError") { g, v in g.squaredError(v[0], target: v[1]) }
        let logVariance = TestTensors.uniform(3, 4, low: -1, high: 1, seed: 21)
        GradientCheck(inputs: [a, logVariance, b]).run("gaussianNLL, per-example variance") { g, v in
            g.gaussianNegativeLogLikelihood(mean: v[0], logVariance: v[1], target: v[2])
        }
        GradientCheck(inputs: [a, TestTensors.uniform(1, 4, seed: 22), b]).run("gaussianNLL, one learned variance per dimension") { g, v in
            g.gaussianNegativeLogLikelihood(mean: v[0], logVariance: v[1], target: v[2])
        }
    }

    @Test("KL against N(0, I) and between diagonal Gaussians; reparameterisation")
    func latent() {
        let logVariance = TestTensors.uniform(3, 4, low: -2, high: 1, seed: 23)
        GradientCheck(inputs: [a, logVariance]).run("klStandardNormal") { g, v in g.klStandardNormal(mean: v[0], logVariance: v[1]) }
        let meanP = TestTensors.uniform(3, 4, seed: 24), logVarianceP = TestTensors.uniform(3, 4, low: -1, high: 1, seed: 25)
        GradientCheck(inputs: [a, logVariance, meanP, logVarianceP]).run("klDiagonalGaussians") { g, v in
            g.klDiagonalGaussians(meanQ: v[0], logVarianceQ: v[1], meanP: v[2], logVarianceP: v[3])
        }
        let noise = TestTensors.uniform(3, 4, seed: 26)
        GradientCheck(inputs: [a, logVariance]).run("reparameterize") { g, v in
            g.reparameterize(mean: v[0], logVariance: v[1], noise: g.constant(noise))
        }
    }

    @Test("a whole VAE-shaped graph: linear, ReLU, split, reparameterise, decode, Bernoulli + KL")
    func composite() {
        let x = TestTensors.uniform(4, 5, low: 0, high: 1, seed: 27)
        let w1 = TestTensors.uniform(6, 5, seed: 28), b1 = TestTensors.uniform(1, 6, seed: 29)
        let w2 = TestTensors.uniform(5, 3, seed: 30), b2 = TestTensors.uniform(1, 5, seed: 31)
        let noise = TestTensors.uniform(4, 3, seed: 32)
        GradientCheck(inputs: [w1, b1, w2, b2], tolerance: 1e-5).run("vae") { g, v in
            let input = g.constant(x)
            let statistics = g.linear(input, weight: v[0], bias: v[1])
            let (mean, logVariance) = g.splitColumns(statistics, at: 3)
            let z = g.reparameterize(mean: mean, logVariance: logVariance, noise: g.constant(noise))
            let logits = g.linear(g.relu(z), weight: v[2], bias: v[3])
            let reconstruction = g.binaryCrossEntropyWithLogits(logits, targets: input)
            let kl = g.sumOverColumns(g.klStandardNormal(mean: mean, logVariance: logVariance))
            return g.mean(g.add(reconstruction, g.scale(kl, by: 0.5)))
        }
    }
}
