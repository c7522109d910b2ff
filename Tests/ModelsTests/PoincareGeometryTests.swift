import Foundation
import JSONConfig
import Testing
@testable import Layers
@testable import Models
@testable import Tensors

/// The Poincaré-ball latent: hyperbolic.md's wrapped-normal densities, the sample, the Monte Carlo KL and its
/// per-dimension split, importance weights, prior samples, the radial loss and the config keys.
@Suite("Poincaré latent geometry")
struct PoincareGeometryTests {
    static func row(_ values: [Double], in graph: Graph<Double>) -> Graph<Double>.Variable { graph.constant(Tensor([values])) }

    /// log N_W(z | μ, σ) = Σᵢ [−½ log 2π − log σᵢ − uᵢ²/(2σᵢ²)] − (d − 1)·log(sinh(√c·r)/(√c·r)), u = 2·log₀((−μ) ⊕ z).
    @Test("the reference's wrapped-normal log-densities: −2.6349857917, −1.7678069265, −6.3622078053 at c = 2")
    func referenceDensities() {
        // Vector 1: μ = 0, z = (0.5, 0), σ = 1, c = 1. r = 2·artanh(0.5) = ln 3, u = (ln 3, 0):
        // 2·(−½ log 2π) − (ln 3)²/2 − log(sinh(ln 3)/ln 3) = −1.8378771 − 0.6034744 − log((4/3)/1.0986123)
        // = −1.8378771 − 0.6034744 − 0.1936343 = −2.6349858.
        let cases: [(mu: [Double], z: [Double], sigma: [Double], c: Double, logDensity: Double)] = [
            ([0, 0], [0.5, 0], [1, 1], 1, -2.6349857917),
            ([0.3, 0], [0.5, 0.2], [0.5, 1], 1, -1.7678069265),
            ([0.1, -0.2, 0.3], [-0.2, 0.4, 0.1], [0.7, 0.7, 0.7], 2, -6.3622078053),
        ]
        for entry in cases {
            let geometry = PoincareGeometry(curvature: entry.c)
            let graph = Graph<Double>()
            let logVariance = Self.row(entry.sigma.map { 2 * Foundation.log($0) }, in: graph)
            let u = geometry.tangent(at: Self.row(entry.mu, in: graph), of: Self.row(entry.z, in: graph), in: graph)
            let value = graph.value(geometry.wrappedLogDensity(u, logVariance: logVariance, in: graph))[0]
            #expect(abs(value - entry.logDensity) < 1e-9, "\(entry.mu), \(entry.z): \(value)")
            // Through the model-facing entry points: the posterior of a sample, and the prior for vector 1.
            let sample = LatentSample(mean: Self.row(entry.mu, in: graph), logVariance: logVariance, z: Self.row(entry.z, in: graph))
            #expect(abs(graph.value(geometry.logPosterior(sample, in: graph))[0] - entry.logDensity) < 1e-9)
        }
        let graph = Graph<Double>()
        #expect(abs(graph.value(PoincareGeometry().logPrior(Self.row([0.5, 0], in: graph), in: graph))[0] - -2.6349857917) < 1e-9)
    }

    @Test("the array form of the density agrees with the graph's, and with the reference's vectors")
    func arrayDensity() {
        #expect(abs(PoincareGeometry(curvature: 2).logDensity([-0.2, 0.4, 0.1], mean: [0.1, -0.2, 0.3], logVariance: [Double](repeating: 2 * Foundation.log(0.7), count: 3))
                    - -6.3622078053) < 1e-9)
        #expect(abs(PoincareGeometry().logDensity([0.5, 0], mean: [0, 0], logVariance: [0, 0]) - -2.6349857917) < 1e-9)
        let geometry = PoincareGeometry(curvature: 1.5)
        let graph = Graph<Double>()
        var noise = RandomGenerator(seed: 12)
        let sample = geometry.sample(Self.statistics([0.4, -0.2, 0.1], [-1, 0.5, 0], rows: 6, in: graph), size: 3, temperature: 1, noise: &noise, in: graph)
        let z = graph.tensor(sample.z).scalars, mean = graph.tensor(sample.mean).scalars, logVariance = graph.tensor(sample.logVariance).scalars
        let posterior = graph.value(geometry.logPosterior(sample, in: graph)), prior = graph.value(geometry.logPrior(sample.z, in: graph))
        for r in 0..<6 {
            let rows = (r * 3)..<(r * 3 + 3)
            #expect(abs(geometry.logDensity(z[rows], mean: mean[rows], logVariance: logVariance[rows]) - posterior[r]) < 1e-12)
            #expect(abs(geometry.logDensity(z[rows], mean: [0, 0, 0][...], logVariance: [0, 0, 0][...]) - prior[r]) < 1e-12)
        }
    }

    /// Encoder statistics (rows × 2·size: tangent mean, then log σ²) repeated over `rows` rows.
    static func statistics(_ tangentMean: [Double], _ logVariance: [Double], rows: Int, in graph: Graph<Double>) -> Graph<Double>.Variable {
        graph.constant(Tensor(rows: rows, columns: 2 * tangentMean.count, scalars: Array((0..<rows).map { _ in tangentMean + logVariance }.joined())))
    }

    @Test("posterior equal to the prior (μ̃ = 0, σ = 1): every KL column is 0 at every draw")
    func priorPosterior() {
        let geometry = PoincareGeometry(curvature: 1.5)
        let graph = Graph<Double>()
        var noise = RandomGenerator(seed: 4)
        let sample = geometry.sample(Self.statistics([0, 0, 0], [0, 0, 0], rows: 50, in: graph), size: 3, temperature: 1, noise: &noise, in: graph)
        let kl = graph.value(geometry.kl(sample, in: graph))
        #expect(kl.allSatisfy { abs($0) < 1e-12 }, "\(kl.max()!)")
    }

    /// A posterior at the rim (tangent mean (0, 8) → μ ≈ (0, 0.95) after the clamp), wide along the rim's tangent
    /// (log σ² = 4) and narrow across it (log σ² = −12): draws run past max_radius and the projection pulls them
    /// back radially, moving the narrow coordinate by many σ. Evaluated at the projected code, log q read that
    /// move as a tangent vector of many σ and the "KL" went far negative (−1e8 nats in a 60-epoch run, which
    /// training exploited); at the drawn point it is log q(v) − log p(z), large and positive out at the rim.
    @Test("codes projected to max_radius cannot drive the KL negative")
    func projectionCannotBiasKL() {
        let geometry = PoincareGeometry(curvature: 1, maxRadius: 0.95)
        let graph = Graph<Double>()
        var noise = RandomGenerator(seed: 8)
        let sample = geometry.sample(Self.statistics([0, 8], [4, -12], rows: 200, in: graph), size: 2, temperature: 1, noise: &noise, in: graph)
        let norms = graph.value(graph.rowNorms(sample.z))
        #expect(norms.filter { $0 > 0.95 - 1e-9 }.count > 50)
        let kl = graph.value(geometry.kl(sample, in: graph))
        let perRow = (0..<200).map { kl[2 * $0] + kl[2 * $0 + 1] }
        #expect(perRow.allSatisfy { $0 > 0 && $0.isFinite }, "smallest \(perRow.min()!)")
    }

    /// An encoder asking for log σ² = 50 gets L = 2·log(2·artanh 0.95) = 2·log 3.66356 = 2.59687 (c = 1): wider
    /// draws only land on the rim, where the clamped densities stop following them, and an unbounded σ let the
    /// Monte Carlo KL fall without bound (−½·log σ² from log q alone). With the cap the KL stays above
    /// −½·(L + 1)·d for the draws of a standard normal (ε² ≈ 1), and finite.
    @Test("the posterior's σ is capped at the tangent length of max_radius, so a huge σ cannot buy a negative KL")
    func varianceCap() {
        let geometry = PoincareGeometry(curvature: 1, maxRadius: 0.95)
        #expect(abs(geometry.maximumLogVariance - 2 * Foundation.log(2 * Foundation.atanh(0.95))) < 1e-15 && abs(geometry.maximumLogVariance - 2.59687) < 1e-5)
        let graph = Graph<Double>()
        var noise = RandomGenerator(seed: 3)
        let sample = geometry.sample(Self.statistics([0.5, -0.2], [50, 50], rows: 400, in: graph), size: 2, temperature: 1, noise: &noise, in: graph)
        #expect(graph.value(sample.logVariance).allSatisfy { $0 == geometry.maximumLogVariance })
        let kl = graph.value(geometry.kl(sample, in: graph))
        var total = 0.0
        for value in kl { total += value }
        let mean: Double = total / 400
        #expect(kl.allSatisfy(\.isFinite) && mean > -(geometry.maximumLogVariance + 1), "mean KL \(mean)")
    }

    /// As c → 0 the ball flattens: μ = μ̃, z = μ + v/2, u = v and u₀ = 2z, so q is N(2μ̃, σ²) and p is N(0, I) in
    /// the coordinates u₀, whose KL per dimension is ½(4μ̃² + σ² − 1 − log σ²). The one-sample estimates average
    /// to it (20,000 draws: standard error about 0.01).
    @Test("at curvature 1e-8 the Monte Carlo KL averages to the Euclidean closed form, per dimension")
    func flatLimit() {
        let geometry = PoincareGeometry(curvature: 1e-8)
        let tangentMean = [0.3, -0.5], logVariance = [Foundation.log(0.5), Foundation.log(1.5)]
        let rows = 20_000
        let graph = Graph<Double>()
        var noise = RandomGenerator(seed: 9)
        let kl = graph.tensor(geometry.kl(geometry.sample(Self.statistics(tangentMean, logVariance, rows: rows, in: graph), size: 2, temperature: 1,
                                                                          noise: &noise, in: graph), in: graph))
        for j in 0..<2 {
            let mean = (0..<rows).reduce(0.0) { $0 + kl[$1, j] } / Double(rows)
            let variance = Foundation.exp(logVariance[j])
            let expected = 0.5 * (4 * tangentMean[j] * tangentMean[j] + variance - 1 - logVariance[j])
            #expect(abs(mean - expected) < 0.04, "dimension \(j): \(mean) vs \(expected)")
        }
    }

    @Test("the sample: μ at temperature 0; at τ the code lies at distance τ·‖σ ⊙ ε‖ from μ; KL columns sum to log q − log p")
    func sample() {
        let geometry = PoincareGeometry(curvature: 2)
        let tangentMean = [0.2, -0.1, 0.3], logVariance = [-1.0, -0.5, -2.0]
        for temperature in [0.0, 0.5, 1] {
            let graph = Graph<Double>()
            var noise = RandomGenerator(seed: 21)
            let sample = geometry.sample(Self.statistics(tangentMean, logVariance, rows: 4, in: graph), size: 3, temperature: temperature, noise: &noise, in: graph)
            var replay = RandomGenerator(seed: 21)
            var epsilon = [Double](repeating: 0, count: 12)
            epsilon.withUnsafeMutableBufferPointer { replay.fillNormal($0) }
            let mean = graph.tensor(sample.mean)
            // μ = exp₀(μ̃): norm tanh(√c‖μ̃‖)/√c.
            let tangentNorm = tangentMean.reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(graph.value(graph.rowNorms(sample.mean))[0] - Foundation.tanh(2.0.squareRoot() * tangentNorm) / 2.0.squareRoot()) < 1e-14)
            let distances = graph.value(graph.rowNorms(geometry.tangent(at: sample.mean, of: sample.z, in: graph)))
            for r in 0..<4 {
                let expected = temperature * (0..<3).reduce(0.0) { sum, j in
                    let v = Foundation.exp(logVariance[j] / 2) * epsilon[r * 3 + j]
                    return sum + v * v
                }.squareRoot()
                #expect(abs(distances[r] - expected) < 1e-10, "τ = \(temperature), row \(r): \(distances[r]) vs \(expected)")
            }
            if temperature == 0 { #expect(graph.tensor(sample.z) == mean) }
            let klSum = graph.value(graph.sumOverColumns(geometry.kl(sample, in: graph)))
            let ratio = graph.value(graph.subtract(geometry.logPosterior(sample, in: graph), geometry.logPrior(sample.z, in: graph)))
            for r in 0..<4 { #expect(abs(klSum[r] - ratio[r]) < 1e-12) }
        }
    }

    /// log w = log p(x | z) + log p(z) − log q(z | x) at the draw that the forward pass makes with the same noise,
    /// where the forward pass's KL is log q − log p: so log w = −(reconstruction + Σ KL) for a Bernoulli likelihood.
    @Test("importance weights are −(reconstruction + Monte Carlo KL) at the same draw, for vae, cvae and dual_vae")
    func importanceWeights() throws {
        for specification in try ModelTestSupport.specifications() where specification.penaltyTerms == ["radial"] {
            var generator = RandomGenerator(seed: 2)
            let model: any LatentVariableModel<Double> = try specification.build(ModelShape(featureCount: 5, classCount: 3, hiddenSizes: [6], likelihood: .bernoulli), generator: &generator)
            var x = Tensor<Double>(rows: 4, columns: 5)
            x.withUnsafeMutableBufferPointer { generator.fillUniform($0, low: 0, high: 1) }
            let graph = Graph<Double>()
            let batch = ModelTestSupport.batch(x, labels: [0, 1, 2, 0], classes: 3, conditioned: specification.needsLabels, in: graph)
            let context = ForwardContext(temperature: 1, modelQuantities: specification.quantities.map(\.defaultValue))
            var noise = RandomGenerator(seed: 8)
            let output = model.forward(batch, context: context, noise: &noise, in: graph)
            var negativeELBO = output.terms[0]
            for (index, term) in model.terms.enumerated() where term.role == .kl { negativeELBO = graph.add(negativeELBO, graph.sumOverColumns(output.terms[index])) }
            noise = RandomGenerator(seed: 8)
            let weights = graph.value(model.logImportanceWeights(batch, context: context, noise: &noise, in: graph))
            let expected = graph.value(negativeELBO)
            for r in 0..<4 { #expect(abs(weights[r] + expected[r]) < 1e-10, "\(specification.typeName) row \(r)") }
            // The mutual information's density is the one the KL uses: for each block and row, the Monte Carlo KL
            // summed over dimensions is log q(z | x) − log p(z) = density(z; μ, σ) − density(z; 0, I) at the drawn z.
            let density = try #require(output.posteriorLogDensity, "a non-Gaussian posterior reports its density")
            for (block, index) in model.terms.indices.filter({ model.terms[$0].role == .kl }).enumerated() {
                let kl = graph.value(output.terms[index]), width = graph.shape(output.terms[index]).columns
                let z = graph.value(output.posteriorSamples[block]).map { Double($0) }, mean = graph.value(output.posteriorMeans[block]).map { Double($0) }
                let logVariance = graph.value(output.posteriorLogVariances[block]).map { Double($0) }
                let zeros = [Double](repeating: 0, count: width)
                for r in 0..<4 {
                    let row = (r * width)..<((r + 1) * width)
                    let expected = density(z[row], mean[row], logVariance[row]) - density(z[row], zeros[...], zeros[...])
                    #expect(abs(kl[row].reduce(0, +) - expected) < 1e-8 * max(1, abs(expected)), "\(specification.typeName) block \(block) row \(r)")
                }
            }
        }
    }

    @Test("prior samples: the origin at temperature 0, at distance τ‖ε‖ from it otherwise, never beyond max_radius/√c")
    func prior() {
        let geometry = PoincareGeometry(curvature: 1.5, maxRadius: 0.9)
        let graph = Graph<Double>()
        var noise = RandomGenerator(seed: 5)
        #expect(graph.value(geometry.samplePrior(rows: 3, sizes: [2, 3], temperature: 0, noise: &noise, in: graph)).allSatisfy { $0 == 0 })
        noise = RandomGenerator(seed: 5)
        let z = geometry.samplePrior(rows: 400, sizes: [2, 3], temperature: 0.7, noise: &noise, in: graph)
        #expect(graph.shape(z) == (400, 5))
        var replay = RandomGenerator(seed: 5)
        var epsilon = [Double](repeating: 0, count: 400 * 5)
        epsilon.withUnsafeMutableBufferPointer { replay.fillNormal($0) }
        let (a, b) = graph.splitColumns(z, at: 2)
        for (block, range) in [(a, 0..<2), (b, 2..<5)] {
            let norms = graph.value(graph.rowNorms(block))
            let distances = graph.value(graph.rowNorms(geometry.tangentAtOrigin(block, in: graph)))
            #expect(norms.allSatisfy { $0 <= geometry.maxNorm + 1e-15 })
            #expect(norms.contains { $0 > 0.99 * geometry.maxNorm }, "some draws reach the projection radius")
            for r in 0..<400 where norms[r] < 0.99 * geometry.maxNorm {
                let expected = 0.7 * range.reduce(0.0) { $0 + epsilon[r * 5 + $1] * epsilon[r * 5 + $1] }.squareRoot()
                #expect(abs(distances[r] - expected) < 1e-9)
            }
        }
    }

    /// t(d) = R·clamp(1 − d/9, 0, 1) with R = 0.95/√c; the loss is (‖μ‖ − t)², summed over blocks.
    @Test("the radial loss pulls ‖μ‖ to R·(1 − d/9): valuation 0 at the projection radius, 9 at the centre")
    func radialLoss() {
        let geometry = PoincareGeometry(curvature: 4)  // R = 0.95/2 = 0.475
        #expect(geometry.maxNorm == 0.475)
        #expect([0, 4.5, 9, 12, -1].map { geometry.targetRadius(difficulty: $0) } == [0.475, 0.2375, 0, 0, 0.475])
        let graph = Graph<Double>()
        // ‖μ‖ = 0.3, 0.1, 0.2, 0 (the origin), 0.4.
        let mean = graph.constant(Tensor([[0.3, 0], [0, 0.1], [0.12, 0.16], [0, 0], [0, -0.4]]))
        let difficulty = graph.constant(Tensor([[0], [4.5], [9], [12], [-1]]))
        let batch = ModelBatch(input: mean, target: .values(mean), difficulty: difficulty)
        let sample = LatentSample(mean: mean, logVariance: mean, z: mean)
        let radial = graph.value(geometry.penalties([sample], batch: batch, in: graph)[0])
        let expected = [(0.3 - 0.475) * (0.3 - 0.475), (0.1 - 0.2375) * (0.1 - 0.2375), 0.04, 0, (0.4 - 0.475) * (0.4 - 0.475)]
        for (got, want) in zip(radial, expected) { #expect(abs(got - want) < 1e-15) }
        let twoBlocks = graph.value(geometry.penalties([sample, sample], batch: batch, in: graph)[0])
        for (got, want) in zip(twoBlocks, expected) { #expect(abs(got - 2 * want) < 1e-15) }
        // Without difficulties the term is 0 (and has no gradient).
        let plain = geometry.penalties([sample], batch: ModelBatch(input: mean, target: .values(mean)), in: graph)[0]
        #expect(graph.value(plain).allSatisfy { $0 == 0 } && graph.shape(plain) == (5, 1))
        // Measurements: ‖μ‖ per block, and their mean for several blocks.
        #expect(Array(graph.value(geometry.measurements([sample], in: graph)[0])) == [0.3, 0.1, 0.2, 0, 0.4])
        #expect(geometry.measurementNames(blocks: ["A", "B"]) == ["radius", "radius.A", "radius.B"])
        #expect(geometry.quantities.map(\.name) == ["radial_weight"] && geometry.quantities[0].defaultValue == 0)
    }

    @Test("Float: codes far out stay finite, on the projection radius, with finite gradients")
    func floatBoundary() {
        let geometry = PoincareGeometry(curvature: 1)
        // Tangent means in the hundreds (μ on the projection radius) and wide posteriors (σ up to e²).
        let statistics = ParameterTensor(Tensor<Float>([[300, -500, 20, 4, 0, -3], [0.1, 0.2, -0.1, 4, 4, 4], [-40, 0, 0, 1, 1, 1]]))
        let graph = Graph<Float>()
        let input = graph.parameter(statistics)
        var noise = RandomGenerator(seed: 1)
        let sample = geometry.sample(input, size: 3, temperature: 1, noise: &noise, in: graph)
        let batch = ModelBatch(input: input, target: .values(input), difficulty: graph.constant(Tensor<Float>([[0], [3], [9]])))
        let kl = geometry.kl(sample, in: graph), radial = geometry.penalties([sample], batch: batch, in: graph)[0]
        let logWeights = graph.subtract(geometry.logPrior(sample.z, in: graph), geometry.logPosterior(sample, in: graph))
        graph.backward(graph.add(graph.add(graph.mean(graph.sumOverColumns(kl)), graph.mean(radial)), graph.mean(logWeights)))
        for variable in [kl, radial, logWeights, sample.z] { #expect(graph.value(variable).allSatisfy { $0.isFinite }) }
        let radii = graph.value(geometry.measurements([sample], in: graph)[0])
        #expect(abs(radii[0] - 0.95) < 1e-6 && abs(radii[2] - 0.95) < 1e-6 && radii[1] < 0.5, "\(Array(radii))")
        #expect(graph.value(graph.rowNorms(sample.z)).allSatisfy { $0 <= 0.95 + 1e-6 })
        #expect(statistics.gradientTensor.scalars.allSatisfy { $0.isFinite })
    }

    static func parse(_ json: String, type: String = "vae") throws(ConfigError) -> ModelConfiguration {
        let object = try ConfigObject(try JSONParser.parse(json), path: ConfigKeyPath.root.appending("model"))
        return try ModelConfiguration.parse(object, defaults: ModelConfiguration.Defaults(hiddenSizes: [8], latentSize: 4, likelihood: "bernoulli",
                                                                                          categoricalData: false, dataName: "shapes"))
    }

    @Test("config: defaults, the keys written back, equality")
    func config() throws {
        let plain = try Self.parse(#"{"type": "dual_vae"}"#).specification
        #expect(plain.isEqual(to: DualVAE(sizeA: 4, sizeB: 4)) && plain.penaltyTerms.isEmpty && plain.quantities.map(\.name) == ["B_contribution"])
        let ball = try Self.parse(#"{"type": "dual_vae", "latent_geometry": "poincare", "curvature": 2}"#).specification
        #expect(ball.isEqual(to: DualVAE(sizeA: 4, sizeB: 4, geometry: PoincareGeometry(curvature: 2, maxRadius: 0.95, maxDifficulty: 9))))
        #expect(!ball.isEqual(to: DualVAE(sizeA: 4, sizeB: 4, geometry: PoincareGeometry(curvature: 1))))
        #expect(ball.termNames == ["reconstruction", "A", "B", "radial"] && ball.quantities.map(\.name) == ["B_contribution", "radial_weight"])
        #expect(ball.measurementNames == ["radius", "radius.A", "radius.B"])
        let written = JSONWriter.compact(try Self.parse(#"{"type": "cvae", "latent_geometry": "poincare", "max_radius": 0.9, "radial_max_difficulty": 3}"#).json)
        #expect(written.contains(#""latent_geometry":"poincare","curvature":1,"max_radius":0.9,"radial_max_difficulty":3"#), "\(written)")
        // Read back, the written section gives the same model; a Euclidean model writes no geometry keys.
        let again = try Self.parse(written).specification
        #expect(again.isEqual(to: ConditionalVAE(latentSize: 4, geometry: PoincareGeometry(maxRadius: 0.9, maxDifficulty: 3))))
        #expect(!JSONWriter.compact(try Self.parse(#"{"type": "vae", "latent_geometry": "euclidean"}"#).json).contains("geometry"))
    }

    static let errors: [(json: String, path: String, phrase: String)] = [
        (#"{"latent_geometry": "hyperbolic"}"#, "model.latent_geometry", "unknown latent geometry \"hyperbolic\"; allowed: euclidean, poincare"),
        (#"{"latent_geometry": "poincare", "curvature": -1}"#, "model.curvature", "must be greater than 0 (the ball has curvature −c and radius 1/√c), got -1"),
        (#"{"latent_geometry": "poincare", "curvature": "high"}"#, "model.curvature", "must be a number"),
        (#"{"latent_geometry": "poincare", "max_radius": 1}"#, "model.max_radius", "must be greater than 0 and at most 0.996"),
        (#"{"latent_geometry": "poincare", "max_radius": 0}"#, "model.max_radius", "got 0"),
        (#"{"latent_geometry": "poincare", "radial_max_difficulty": 0}"#, "model.radial_max_difficulty", "must be greater than 0"),
        (#"{"curvature": 2}"#, "model.curvature", "curvature is for latent_geometry \"poincare\"; this model's latent geometry is \"euclidean\" (the default)"),
        (#"{"latent_geometry": "euclidean", "max_radius": 0.9}"#, "model.max_radius", "max_radius is for latent_geometry \"poincare\""),
        (#"{"type": "hierarchical_cvae", "latent_geometry": "poincare"}"#, "model.latent_geometry",
         "the hierarchical_cvae model cannot use \"poincare\": its local prior"),
        (#"{"latent_geometry": "poincare", "curvture": 2}"#, "model.curvture", "did you mean 'curvature'?"),
    ]

    @Test("bad geometry keys: the key path, the value and what is allowed", arguments: errors)
    func badConfig(json: String, path: String, phrase: String) {
        do {
            _ = try Self.parse(json)
            Issue.record("no error for \(json)")
        } catch {
            #expect((error.keyPath ?? .root).description == path, "\(error)")
            #expect(error.message.contains(phrase), "\(error)")
        }
    }
}
