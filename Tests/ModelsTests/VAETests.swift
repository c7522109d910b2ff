import RealModule
import Testing
@testable import Layers
@testable import Models
@testable import Tensors

@Suite("VAE")
struct VAETests {
    static let shape = ModelShape(featureCount: 12, hiddenSizes: [16], likelihood: .bernoulli)

    /// Trains a small Bernoulli VAE on 64 fixed binary patterns and returns the per-epoch mean losses, the
    /// final parameters and the graph's allocation count after each epoch.
    func train(seed: UInt64, epochs: Int) throws -> (losses: [Double], parameters: [[Float]], allocations: [Int]) {
        var generator = RandomGenerator(seed: seed)
        let vae: any LatentVariableModel<Float> = try VAE(latentSize: 2).build(Self.shape, generator: &generator)
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
                let output = vae.forward(ModelBatch(input: input, target: .values(input)), context: ForwardContext(), noise: &generator, in: graph)
                let loss = graph.mean(graph.add(output.terms[0], graph.sumOverColumns(output.terms[1])))
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
    func learns() throws {
        let losses = try train(seed: 1, epochs: 60).losses
        #expect(losses.first! > 7)  // ≈ 12·ln 2 at initialisation
        #expect(losses.last! < 0.5 * losses.first!, "losses \(losses.first!) → \(losses.last!)")
    }

    @Test("the same seed gives bit-identical parameters; another seed does not")
    func determinism() throws {
        let a = try train(seed: 3, epochs: 5), b = try train(seed: 3, epochs: 5), c = try train(seed: 4, epochs: 5)
        #expect(a.parameters == b.parameters)
        #expect(a.losses == b.losses)
        #expect(a.parameters != c.parameters)
    }

    @Test("a training step allocates nothing after the first")
    func noAllocations() throws {
        let allocations = try train(seed: 2, epochs: 4).allocations
        #expect(Set(allocations).count == 1, "\(allocations)")
    }

    @Test("parameter names and sizes: the benchmark's mlp-784 model; its terms")
    func benchmarkShape() throws {
        var generator = RandomGenerator(seed: 0)
        let vae: any LatentVariableModel<Float> = try VAE(latentSize: 20).build(ModelShape(featureCount: 784, hiddenSizes: [400], likelihood: .bernoulli), generator: &generator)
        #expect(vae.parameters.map(\.name) == ["encoder.layers.0.weight", "encoder.layers.0.bias", "encoder.layers.1.weight", "encoder.layers.1.bias",
                                               "decoder.layers.0.weight", "decoder.layers.0.bias", "decoder.layers.1.weight", "decoder.layers.1.bias"])
        #expect(vae.parameterCount == 784 * 400 + 400 + 400 * 40 + 40 + 20 * 400 + 400 + 400 * 784 + 784)  // 652,824
        #expect(vae.terms == [LossTermDescription(name: "reconstruction", role: .reconstruction), LossTermDescription(name: "kl", role: .kl, columns: 20)])
        #expect(vae.klTermNames == ["kl"] && vae.latentWidth == 20)
        // 784·400 + 400·40 forward in the encoder, 20·400 + 400·784 in the decoder; the first layer reads the data.
        #expect(vae.multiplyAddsPerExample == 784 * 400 + 400 * 40 + 20 * 400 + 400 * 784 && vae.inputLayerMultiplyAdds == 784 * 400)
    }

    @Test("the categorical likelihood: loss at initialisation is near 9·log 3 per example")
    func categorical() throws {
        var generator = RandomGenerator(seed: 0)
        let vae: any LatentVariableModel<Float> = try VAE(latentSize: 4).build(ModelShape(featureCount: 27, categoryGroupSize: 3, hiddenSizes: [32], likelihood: .categorical), generator: &generator)
        let graph = Graph<Float>()
        let labels = graph.labels(rows: 8, columns: 9) { buffer in for i in buffer.indices { buffer[i] = Int32(i % 3) } }
        let input = graph.constant(rows: 8, columns: 27) { buffer in
            buffer.update(repeating: 0)
            for i in 0..<72 { buffer[(i / 9) * 27 + (i % 9) * 3 + i % 3] = 1 }
        }
        let output = vae.forward(ModelBatch(input: input, target: .labels(labels, groupSize: 3)), context: ForwardContext(), noise: &generator, in: graph)
        let reconstruction = graph.tensor(output.terms[0]).scalars
        // Small random logits: each of the 9 positions costs about log 3 = 1.0986.
        #expect(reconstruction.allSatisfy { abs($0 - 9 * Float.log(3)) < 1.5 })
        // The reconstruction mean is a distribution over each group of 3.
        let mean = graph.tensor(vae.reconstructionMean(output.decoderOutput, in: graph))
        #expect(abs(mean.scalars[0..<3].reduce(0, +) - 1) < 1e-6)
    }

    @Test("temperature scales the posterior noise: 0 gives the posterior mean, 0.5 half the distance of 1")
    func temperature() throws {
        var generator = RandomGenerator(seed: 4)
        let vae: any LatentVariableModel<Double> = try VAE(latentSize: 3).build(Self.shape, generator: &generator)
        let x = Tensor<Double>([[1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0], [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1]])
        let graph = Graph<Double>()
        func batch() -> ModelBatch<Double> { ModelBatch(input: graph.constant(x), target: .values(graph.constant(x))) }
        var noise = RandomGenerator(seed: 5)
        let cold = vae.forward(batch(), context: ForwardContext(temperature: 0), noise: &noise, in: graph)
        #expect(graph.tensor(cold.latent) == graph.tensor(cold.posteriorMeans[0]))
        var a = RandomGenerator(seed: 6), b = RandomGenerator(seed: 6)
        let half = vae.forward(batch(), context: ForwardContext(temperature: 0.5), noise: &a, in: graph)
        let full = vae.forward(batch(), context: ForwardContext(temperature: 1), noise: &b, in: graph)
        let mean = graph.tensor(half.posteriorMeans[0]).scalars
        let dHalf = zip(graph.tensor(half.latent).scalars, mean).map { $0 - $1 }, dFull = zip(graph.tensor(full.latent).scalars, mean).map { $0 - $1 }
        for (h, f) in zip(dHalf, dFull) { #expect(abs(2 * h - f) < 1e-12) }
    }

    @Test("importance weights: log p(x|z) + log p(z) − log q(z|x) at the sampled z, by hand")
    func importanceWeights() throws {
        var generator = RandomGenerator(seed: 8)
        let shape = ModelShape(featureCount: 4, hiddenSizes: [5], likelihood: .squaredError)
        let vae: any LatentVariableModel<Double> = try VAE(latentSize: 2).build(shape, generator: &generator)
        let x = Tensor<Double>([[0.2, -0.4, 1.0, 0.5]])
        let graph = Graph<Double>()
        var noise = RandomGenerator(seed: 9), same = RandomGenerator(seed: 9)
        let weight = graph.scalar(vae.logImportanceWeights(ModelBatch(input: graph.constant(x), target: .values(graph.constant(x))), context: ForwardContext(), noise: &noise, in: graph))
        // The same sample through forward: z, μ and the decoder's mean.
        let output = vae.forward(ModelBatch(input: graph.constant(x), target: .values(graph.constant(x))), context: ForwardContext(), noise: &same, in: graph)
        let z = graph.tensor(output.latent).scalars, mu = graph.tensor(output.posteriorMeans[0]).scalars, decoded = graph.tensor(output.decoderOutput).scalars
        // ε, drawn again from the same seed, gives σ = (z − μ)/ε.
        var epsilonSource = RandomGenerator(seed: 9)
        var epsilon = [Double](repeating: 0, count: 2)
        epsilon.withUnsafeMutableBufferPointer { epsilonSource.fillNormal($0) }
        let log2pi = Double.log(2 * Double.pi)
        // The squared error as a density: log N(x; μ_dec, ½) = −(x − μ)² − ½·log π per feature.
        let logLikelihood = zip(x.scalars, decoded).map { -($0 - $1) * ($0 - $1) - 0.5 * Double.log(Double.pi) }.reduce(0, +)
        let logPrior = z.map { -0.5 * (log2pi + $0 * $0) }.reduce(0, +)
        // log q(z|x) = Σ −½(log 2π + log σ² + ε²).
        let logPosterior = (0..<2).map { d in -0.5 * (log2pi + 2 * Double.log(abs((z[d] - mu[d]) / epsilon[d])) + epsilon[d] * epsilon[d]) }.reduce(0, +)
        #expect(abs(weight - (logLikelihood + logPrior - logPosterior)) < 1e-9, "\(weight) vs \(logLikelihood + logPrior - logPosterior)")
    }

    @Test("the mean importance weight estimates the ELBO; log-mean-exp of K weights lies above it")
    func importanceWeightsAndELBO() throws {
        var generator = RandomGenerator(seed: 12)
        let vae: any LatentVariableModel<Double> = try VAE(latentSize: 2).build(Self.shape, generator: &generator)
        let x = Tensor<Double>([[1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0]])
        var noise = RandomGenerator(seed: 13)
        // The analytic-KL ELBO with the reconstruction averaged over many samples.
        var reconstruction = 0.0, kl = 0.0, weights: [Double] = []
        let samples = 4000
        for _ in 0..<samples {
            let g = Graph<Double>()
            let batch = ModelBatch(input: g.constant(x), target: .values(g.constant(x)))
            let output = vae.forward(batch, context: ForwardContext(), noise: &noise, in: g)
            reconstruction += g.scalar(output.terms[0])
            kl = g.tensor(output.terms[1]).scalars.reduce(0, +)
            weights.append(g.scalar(vae.logImportanceWeights(batch, context: ForwardContext(), noise: &noise, in: g)))
        }
        let elbo = -(reconstruction / Double(samples) + kl)
        let meanWeight = weights.reduce(0, +) / Double(samples)
        #expect(abs(meanWeight - elbo) < 0.1, "mean log weight \(meanWeight), ELBO \(elbo)")
        let top = weights.max()!
        let logMeanExp = top + Double.log(weights.map { Double.exp($0 - top) }.reduce(0, +) / Double(samples))
        #expect(logMeanExp >= meanWeight)
    }

    @Test("prior samples decode to data-shaped means; temperature 0 gives the prior mean")
    func priorSamples() throws {
        var generator = RandomGenerator(seed: 1)
        let vae: any LatentVariableModel<Float> = try VAE(latentSize: 3).build(Self.shape, generator: &generator)
        let graph = Graph<Float>()
        let z = vae.samplePrior(rows: 5, conditions: nil, temperature: 1, noise: &generator, in: graph)
        #expect(graph.shape(z) == (5, 3))
        let mean = graph.tensor(vae.reconstructionMean(vae.decode(z, conditions: nil, context: ForwardContext(), in: graph), in: graph))
        #expect(mean.rows == 5 && mean.columns == 12 && mean.scalars.allSatisfy { $0 > 0 && $0 < 1 })
        #expect(graph.tensor(vae.samplePrior(rows: 2, conditions: nil, temperature: 0, noise: &generator, in: graph)).scalars.allSatisfy { $0 == 0 })
    }
}
