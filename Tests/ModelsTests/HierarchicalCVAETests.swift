import Testing
@testable import Layers
@testable import Models
@testable import Tensors

@Suite("Hierarchical CVAE")
struct HierarchicalCVAETests {
    @Test("KL term names, parameter names and network sizes")
    func names() throws {
        var generator = RandomGenerator(seed: 0)
        let shape = ModelShape(featureCount: 6, classCount: 2, hiddenSizes: [8], likelihood: .gaussian(learnedVariance: true))
        let model: any LatentVariableModel<Float> = try HierarchicalCVAE(globalSize: 2, localSize: 3).build(shape, generator: &generator)
        #expect(model.klTermNames == ["global", "local"] && model.latentWidth == 5)
        let names = model.parameters.map(\.name)
        #expect(names.first == "global_encoder.layers.0.weight")
        #expect(names.contains("local_encoder.layers.1.bias") && names.contains("local_prior.layers.0.weight") && names.last == "decoder.log_variance")
        let network = try #require(model as? HierarchicalCVAENetwork<Float>)
        // The local encoder sees x (6), z_g (2) and y (2); the prior z_g and y; the decoder z_g, z_l and y.
        #expect(network.localEncoder.inputs == 10 && network.localPrior.inputs == 4 && network.decoder.inputs == 7)
        #expect(network.encoder.outputs == 4 && network.localEncoder.outputs == 6)
    }

    @Test("prior samples go through the learned local prior; importance weights are finite")
    func priorAndWeights() throws {
        var generator = RandomGenerator(seed: 3)
        let shape = ModelShape(featureCount: 4, classCount: 3, hiddenSizes: [6], likelihood: .bernoulli)
        let model: any LatentVariableModel<Double> = try HierarchicalCVAE(globalSize: 2, localSize: 2).build(shape, generator: &generator)
        let graph = Graph<Double>()
        let labels = graph.labels(rows: 2, columns: 1) { $0[0] = 0; $0[1] = 2 }
        let conditions = graph.oneHot(labels, classes: 3)
        let z = model.samplePrior(rows: 2, conditions: conditions, temperature: 1, noise: &generator, in: graph)
        #expect(graph.shape(z) == (2, 4))
        let x = Tensor<Double>([[1, 0, 1, 0], [0, 1, 1, 0]])
        let batch = ModelBatch(input: graph.constant(x), target: .values(graph.constant(x)), conditions: conditions)
        let weights = graph.tensor(model.logImportanceWeights(batch, context: ForwardContext(), noise: &generator, in: graph)).scalars
        #expect(weights.count == 2 && weights.allSatisfy { $0.isFinite && $0 < 0 })
    }
}
