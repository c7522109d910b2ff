import Testing
@testable import Layers
@testable import Models
@testable import Tensors

@Suite("Dual VAE")
struct DualVAETests {
    static func model() throws -> DualVAENetwork<Double> {
        var generator = RandomGenerator(seed: 3)
        let shape = ModelShape(featureCount: 4, hiddenSizes: [5], activation: .tanh, likelihood: .bernoulli)
        return try DualVAE(sizeA: 2, sizeB: 3).build(shape, generator: &generator) as any LatentVariableModel<Double> as! DualVAENetwork<Double>
    }

    @Test("terms A and B with their own sizes; the decoder reads both codes")
    func shapes() throws {
        let model = try Self.model()
        #expect(model.terms.map(\.name) == ["reconstruction", "A", "B"] && model.terms.map(\.columns) == [1, 2, 3])
        #expect(model.latentWidth == 5 && model.decoder.inputs == 5)
        #expect(model.parameters.map(\.name).filter { $0.hasSuffix("0.weight") } == ["encoder_a.layers.0.weight", "encoder_b.layers.0.weight", "decoder.layers.0.weight"])
        #expect(DualVAE(sizeA: 2, sizeB: 3).quantities.map(\.name) == ["B_contribution"])
    }

    /// With B_contribution = 0 block B reaches nothing: the reconstruction gives its encoder no gradient, and
    /// the decoder's output equals the one for z_B = 0. At 0.5 the decoder reads 0.5·z_B.
    @Test("B_contribution 0 cuts block B off the reconstruction; 0.5 halves its code")
    func contribution() throws {
        let model = try Self.model()
        let x = Tensor<Double>([[1, 0, 1, 0], [0, 1, 1, 1]])
        let graph = Graph<Double>()
        var noise = RandomGenerator(seed: 1)
        let batch = ModelBatch(input: graph.constant(x), target: .values(graph.constant(x)))
        let output = model.forward(batch, context: ForwardContext(temperature: 1, modelQuantities: [0]), noise: &noise, in: graph)
        graph.backward(graph.mean(output.terms[0]))
        #expect(model.encoderB.parameters(prefix: "b").allSatisfy { $0.tensor.gradientTensor.scalars.allSatisfy { $0 == 0 } })
        #expect(model.encoderA.parameters(prefix: "a").contains { $0.tensor.gradientTensor.scalars.contains { $0 != 0 } })
        let latent = graph.tensor(output.latent).scalars
        func decoded(_ codes: [Double], contribution: Double) -> [Double] {
            let g = Graph<Double>()
            return g.tensor(model.decode(g.constant(Tensor(rows: 2, columns: 5, scalars: codes)), conditions: nil,
                                         context: ForwardContext(modelQuantities: [contribution]), in: g)).scalars
        }
        let zeroedB = latent.enumerated().map { $0.offset % 5 < 2 ? $0.element : 0 }
        #expect(decoded(latent, contribution: 0) == decoded(zeroedB, contribution: 1))
        let halvedB = latent.enumerated().map { $0.offset % 5 < 2 ? $0.element : 0.5 * $0.element }
        #expect(decoded(latent, contribution: 0.5) == decoded(halvedB, contribution: 1))
    }
}
