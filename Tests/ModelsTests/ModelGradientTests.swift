import Testing
@testable import Layers
@testable import Models
@testable import Tensors

/// Every registered model type (and each on the Poincaré ball where it can be), with each real-valued likelihood
/// and a posterior temperature ≠ 1, against central finite differences in Double: a model added to
/// `ModelRegistry` is checked here without a new test. The batch carries difficulties, so the radial loss is
/// checked too.
@Suite("Gradients through every model")
struct ModelGradientTests {
    /// The loss of `model` on fixed data, with posterior noise from a fixed seed: reconstruction + 0.7·Σ KL +
    /// 0.3·Σ penalties; the model's own quantities (a dual VAE's B_contribution) at 0.5.
    static func loss(_ model: any LatentVariableModel<Double>, conditioned: Bool, graph: Graph<Double>, x: Tensor<Double>, labels: [Int32],
                     modelQuantities: Int = 0) -> Graph<Double>.Variable {
        var noise = RandomGenerator(seed: 11)
        let batch = ModelTestSupport.batch(x, labels: labels, classes: 3, conditioned: conditioned, in: graph)
        let context = ForwardContext(temperature: 0.8, modelQuantities: [Double](repeating: 0.5, count: modelQuantities))
        let output = model.forward(batch, context: context, noise: &noise, in: graph)
        var loss = graph.mean(output.terms[0])
        for (index, term) in model.terms.enumerated().dropFirst() {
            let weight = term.role == .kl ? 0.7 : 0.3
            loss = graph.add(loss, graph.scale(graph.mean(graph.sumOverColumns(output.terms[index])), by: weight))
        }
        return loss
    }

    /// Every `stride`-th element of every parameter of `model`: the backward pass against central differences
    /// (h = 1e-6) of `loss`, within 1e-6 relative.
    static func checkGradients(_ model: any LatentVariableModel<Double>, _ specification: any ModelSpecification, x: Tensor<Double>, labels: [Int32],
                               samplesPerParameter: Int, what: String) {
        let conditioned = specification.needsLabels, quantities = specification.quantities.count
        let graph = Graph<Double>()
        graph.backward(Self.loss(model, conditioned: conditioned, graph: graph, x: x, labels: labels, modelQuantities: quantities))
        for parameter in model.parameters {
            let analytic = parameter.tensor.gradientTensor
            for element in Swift.stride(from: 0, to: parameter.tensor.count, by: max(1, parameter.tensor.count / samplesPerParameter)) {
                let original = parameter.tensor.value.pointer[element]
                let h = 1e-6
                parameter.tensor.value.pointer[element] = original + h
                let plus = Graph<Double>()
                let up = plus.scalar(Self.loss(model, conditioned: conditioned, graph: plus, x: x, labels: labels, modelQuantities: quantities))
                parameter.tensor.value.pointer[element] = original - h
                let minus = Graph<Double>()
                let down = minus.scalar(Self.loss(model, conditioned: conditioned, graph: minus, x: x, labels: labels, modelQuantities: quantities))
                parameter.tensor.value.pointer[element] = original
                let numeric = (up - down) / (2 * h)
                let got = analytic.scalars[element]
                #expect(abs(got - numeric) <= 1e-6 * max(1, abs(numeric)), "\(what) \(parameter.name)[\(element)]: \(got) vs \(numeric)")
            }
        }
    }

    @Test("gradients match central finite differences (Double)")
    func modelGradients() throws {
        var generator = RandomGenerator(seed: 5)
        let likelihoods: [Likelihood] = [.bernoulli, .gaussian(learnedVariance: true), .squaredError]
        for specification in try ModelTestSupport.specifications() {
            for likelihood in likelihoods {
                let shape = ModelShape(featureCount: 5, classCount: 3, hiddenSizes: [4], activation: .tanh, likelihood: likelihood)
                let model: any LatentVariableModel<Double> = try specification.build(shape, generator: &generator)
                var x = Tensor<Double>(rows: 3, columns: 5)
                x.withUnsafeMutableBufferPointer { generator.fillUniform($0, low: 0, high: 1) }
                Self.checkGradients(model, specification, x: x, labels: [0, 2, 1], samplesPerParameter: 6, what: "\(specification.typeName) \(likelihood.name)")
            }
        }
    }

    /// A 1×6×6 image model: encoder conv 2 3×3 /2 same (→ 2×3×3), dense 4; the decoder its mirror (dense 4, a
    /// dense layer to 2×3×3 = 18, transposed conv 1 3×3 /2 same → 1×6×6).
    static func convolutionalShape(likelihood: Likelihood) throws -> ModelShape {
        let encoder = NetworkSpecification(stages: [
            .init(typeName: "conv", layers: [Conv2d<Float>.Specification(ConvolutionSettings(channels: 2, kernel: (3, 3), stride: (2, 2), padding: .same))]),
            .init(typeName: "dense", layers: [Dense<Float>.Specification(units: 4)]),
        ])
        let layout = Layout.image(channels: 1, height: 6, width: 6)
        guard case .networks(let e, let d?) = try ModelArchitecture.networks(encoder: encoder, decoder: nil).resolved(for: layout, hiddenSizes: []).architecture else {
            throw LayerShapeError("not resolved to networks")
        }
        return ModelShape(layout: layout, classCount: 3, encoder: e, decoder: d, activation: .tanh, likelihood: likelihood)
    }

    @Test("every model with a convolutional encoder and decoder: gradients of every parameter match central finite differences (Double)")
    func convolutionalModelGradients() throws {
        var generator = RandomGenerator(seed: 8)
        for specification in try ModelTestSupport.specifications() {
            let shape = try Self.convolutionalShape(likelihood: .gaussian(learnedVariance: true))
            let model: any LatentVariableModel<Double> = try specification.build(shape, generator: &generator)
            #expect(model.parameters.contains { $0.name.hasSuffix("conv.0.weight") } && model.parameters.contains { $0.name == "decoder.conv_transpose.0.weight" },
                    "\(specification.typeName): \(model.parameters.map(\.name))")
            var x = Tensor<Double>(rows: 3, columns: 36)
            x.withUnsafeMutableBufferPointer { generator.fillUniform($0, low: 0, high: 1) }
            Self.checkGradients(model, specification, x: x, labels: [0, 2, 1], samplesPerParameter: 5, what: specification.typeName)
        }
    }

    @Test("every registered model returns the terms it declares, in order and shape")
    func declaredTerms() throws {
        var generator = RandomGenerator(seed: 1)
        #expect(ModelRegistry.names == ["vae", "cvae", "hierarchical_cvae", "dual_vae"])
        let specifications = try ModelTestSupport.specifications()
        #expect(specifications.filter { $0.penaltyTerms == ["radial"] }.map(\.typeName) == ["vae", "cvae", "dual_vae"])
        for specification in specifications {
            let model: any LatentVariableModel<Double> = try specification.build(ModelShape(featureCount: 4, classCount: 3, hiddenSizes: [3], likelihood: .bernoulli), generator: &generator)
            #expect(model.terms.map(\.name) == specification.termNames, "\(specification.typeName)")
            #expect(model.klTermNames == specification.klTerms.map(\.name))
            let graph = Graph<Double>()
            let x = Tensor<Double>([[1, 0, 1, 0], [0, 1, 0, 1]])
            let output = model.forward(ModelTestSupport.batch(x, labels: [0, 1], classes: 3, conditioned: specification.needsLabels, in: graph),
                                       context: ForwardContext(), noise: &generator, in: graph)
            #expect(output.terms.count == model.terms.count && output.posteriorMeans.count == model.klTermNames.count)
            for (term, variable) in zip(model.terms, output.terms) { #expect(graph.shape(variable) == (2, term.columns), "\(specification.typeName) \(term.name)") }
            #expect(model.measurementNames == specification.measurementNames && output.measurements.map(\.name) == model.measurementNames)
            for measurement in output.measurements { #expect(graph.shape(measurement.value) == (2, 1)) }
            #expect(graph.shape(output.latent) == (2, model.latentWidth))
        }
    }

    @Test("every model at temperature 0 without the reconstruction: the same codes (the posterior means) and decoder output, a zero term, the generator moved as far")
    func meanPassWithoutReconstruction() throws {
        var generator = RandomGenerator(seed: 3)
        for specification in try ModelTestSupport.specifications() {
            let model: any LatentVariableModel<Double> = try specification.build(ModelShape(featureCount: 4, classCount: 3, hiddenSizes: [3], likelihood: .bernoulli), generator: &generator)
            let x = Tensor<Double>([[1, 0, 1, 0], [0, 1, 0, 1], [1, 1, 0, 0]])
            var results: [(latent: [Double], output: [Double], reconstruction: [Double], state: [UInt64])] = []
            for computes in [true, false] {
                var noise = RandomGenerator(seed: 9)
                let graph = Graph<Double>()
                let output = model.forward(ModelTestSupport.batch(x, labels: [0, 1, 2], classes: 3, conditioned: specification.needsLabels, in: graph),
                                           context: ForwardContext(temperature: 0, computesReconstruction: computes), noise: &noise, in: graph)
                results.append((graph.tensor(output.latent).scalars, graph.tensor(output.decoderOutput).scalars, graph.tensor(output.terms[0]).scalars, noise.state))
            }
            #expect(results[0].latent == results[1].latent && results[0].output == results[1].output, "\(specification.typeName)")
            #expect(results[0].state == results[1].state, "\(specification.typeName)")
            #expect(results[0].reconstruction.allSatisfy { $0 > 0 } && results[1].reconstruction == [0, 0, 0], "\(specification.typeName)")
        }
    }
}
