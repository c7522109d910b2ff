import JSONConfig
import Layers
import Models
import Schedules
import Tensors
import Testing
@testable import Training

@Suite("Gradient balancing")
struct GradientBalancingTests {
    static let two = GradientBalancing(groups: [.init(name: "reconstruction", terms: ["reconstruction"]), .init(name: "kl", terms: ["kl"])])

    @Test("the recipe's rule for two groups: s_A = a_B/a_A, s_B = a_A/a_B, clamped to [0.5, 2]")
    func scales() {
        // a = (3, 4): s = (4/3, 3/4), inside the clamp (the 1e-8 in the denominator moves the 9th digit).
        let s = Self.two.scales([3, 4])
        #expect(abs(s[0] - 4.0 / 3) < 1e-8 && abs(s[1] - 0.75) < 1e-8)
        // a = (2, 8): 4 and 0.25, clamped to 2 and 0.5.
        #expect(Self.two.scales([2, 8]) == [2, 0.5])
        // Three groups: the geometric mean of the others over one's own. a = (1, 4, 16):
        // s_0 = √(4·16)/1 = 8 → 2; s_1 = √(1·16)/4 = 1; s_2 = √(1·4)/16 = 0.125 → 0.5.
        let three = GradientBalancing(groups: [.init(name: "a", terms: ["reconstruction"]), .init(name: "b", terms: ["A"]), .init(name: "c", terms: ["B"])])
        let s3 = three.scales([1, 4, 16])
        #expect(s3[0] == 2 && abs(s3[1] - 1) < 1e-8 && s3[2] == 0.5)
        // A group with no gradient yet (weight 0) is left out: scale 1, and the others balance among themselves.
        #expect(Self.two.scales([0, 5]) == [1, 1])
        let s3zero = three.scales([0, 3, 4])
        #expect(s3zero[0] == 1 && abs(s3zero[1] - 4.0 / 3) < 1e-8 && abs(s3zero[2] - 0.75) < 1e-8)
        // Averages: the first step takes the norms; then a ← 0.9·a + 0.1·n.
        #expect(Self.two.updatedAverages([], norms: [5, 7]) == [5, 7])
        let next = Self.two.updatedAverages([5, 7], norms: [15, 7])
        #expect(abs(next[0] - 6) < 1e-12 && abs(next[1] - 7) < 1e-12)
    }

    /// One SGD step at learning rate 1 moves each parameter by −(its gradient), so the step's gradient can be read
    /// off and compared with Σ_g s_g·∇L_g + ∇(ungrouped terms) computed term group by term group on a twin
    /// trainer (same seed: same parameters, same batch, same noise).
    @Test("the step's gradient is Σ s_g·∇L_g plus the ungrouped terms, with the norms' averages in the state", arguments: ["vae", "dual_vae"])
    func combinedGradient(model: String) throws {
        let groups = model == "vae" ? #"{"reconstruction": ["reconstruction"], "regularisation": ["kl"]}"# : #"{"reconstruction": ["reconstruction"], "a": ["A"]}"#
        let extra = #", "optimizer": {"type": "sgd"}, "grad_clip_norm": null, "beta_scheduler_type": "constant", "beta_scheduler_params": {"beta": 0.7}, "gradient_balancing": {"groups": "# + groups + "}"
        let configuration = try TrainingFixtures.configuration(TrainingFixtures.small(model, data: "shapes", epochs: 1, extra: extra).replacingOccurrences(of: #""learning_rate": 0.003"#, with: #""learning_rate": 1"#))
        let dataset = try configuration.data.load()
        let trainer = try Trainer(configuration: configuration, dataset: dataset, runDirectory: nil)
        let twin = try Trainer(configuration: configuration, dataset: dataset, runDirectory: nil)
        let indices = Array(0..<16)[...]
        let before = trainer.model.parameters.map { $0.tensor.tensor.scalars }
        var sums = trainer.emptySums()
        _ = trainer.step(indices, progress: .epoch(0, stepsPerEpoch: 1), sums: &sums)
        let step = zip(before, trainer.model.parameters.map { $0.tensor.tensor.scalars }).map { b, a in zip(b, a).map { Double($0 - $1) } }

        // The twin, by hand.
        twin.plan.values(at: .epoch(0, stepsPerEpoch: 1), controllers: twin.controllerStates, into: &twin.values)
        let graph = Graph<Float>()
        let batch = twin.batches.batch(indices, in: graph)
        let context = ForwardContext(temperature: 1, modelQuantities: twin.modelQuantityDefaults)
        var noise = twin.state.generator
        let output = twin.model.forward(batch, context: context, noise: &noise, in: graph)
        func gradient(_ terms: [Int]) -> (gradients: [[Double]], norm: Double)? {
            guard let loss = twin.objective.loss(output, values: twin.values, terms: terms, in: graph) else { return nil }
            twin.optimizer.zeroGradients()
            graph.backward(loss)
            let gradients = twin.model.parameters.map { $0.tensor.gradientTensor.scalars.map(Double.init) }
            return (gradients, gradients.joined().reduce(0) { $0 + $1 * $1 }.squareRoot())
        }
        let parts = twin.balancingGroups.map { gradient($0)! }
        let norms = parts.map(\.norm)
        #expect(zip(trainer.state.gradientNormAverages, norms).allSatisfy { abs($0 - $1) <= 1e-5 * $1 })
        let scales = configuration.gradientBalancing!.scales(norms)
        var expected = parts[0].gradients.map { $0.map { _ in 0.0 } }
        for (part, scale) in zip(parts, scales) {
            for p in expected.indices { for i in expected[p].indices { expected[p][i] += scale * part.gradients[p][i] } }
        }
        if let rest = gradient(twin.balancingRest) {
            #expect(model == "dual_vae")
            for p in expected.indices { for i in expected[p].indices { expected[p][i] += rest.gradients[p][i] } }
        }
        let largest = expected.joined().map(abs).max()!
        let worst = zip(step.joined(), expected.joined()).map { abs($0 - $1) }.max()!
        #expect(worst <= 1e-4 * largest, "largest difference \(worst) of \(largest)")
    }

    @Test("config errors name the key, the value and what is allowed; the state survives a resume")
    func configAndResume() throws {
        let cases: [(String, String, String)] = [
            (#"{"groups": {"r": ["reconstruction"]}}"#, "training.gradient_balancing.groups", "at least two groups"),
            (#"{"groups": {"r": ["reconstruction"], "k": ["kl", "radial"]}}"#, "training.gradient_balancing.groups.k[1]", "radial"),
            (#"{"groups": {"r": ["reconstruction"], "k": ["reconstruction"]}}"#, "training.gradient_balancing.groups.k[0]", "already in the group"),
            (#"{"groups": {"r": ["reconstruction"], "k": ["kl"]}, "max_scale": 0.1}"#, "training.gradient_balancing.max_scale", "must be ≥ min_scale"),
            (#"{"groups": {"r": ["reconstruction"], "k": []}}"#, "training.gradient_balancing.groups.k", "at least one loss term"),
        ]
        for (value, path, phrase) in cases {
            #expect { try TrainingFixtures.configuration(TrainingFixtures.small("vae", extra: #", "gradient_balancing": "# + value)) } throws: { error in
                guard let error = error as? ConfigError else { return false }
                return (error.keyPath ?? .root).description == path && error.message.contains(phrase)
            }
        }
        let text = TrainingFixtures.small("vae", epochs: 3, extra: #", "gradient_balancing": {"groups": {"r": ["reconstruction"], "k": ["kl"]}}"#)
        let configuration = try TrainingFixtures.configuration(text)
        #expect(try RunConfiguration.parse(configuration.json, file: "again.json").gradientBalancing == configuration.gradientBalancing)
        let straight = try TrainingRun.start(configuration, in: TrainingFixtures.temporaryDirectory() + "/straight")
        _ = try straight.run()
        let directory = TrainingFixtures.temporaryDirectory() + "/resumed"
        let first = try TrainingRun.start(configuration, in: directory)
        #expect(try first.run { first.trainer.globalStep == 5 }.outcome == .interrupted)
        let resumed = try TrainingRun.resume(directory)
        _ = try resumed.run()
        #expect(resumed.trainer.state.gradientNormAverages == straight.trainer.state.gradientNormAverages)
        #expect(resumed.trainer.model.parameters.map { $0.tensor.tensor.scalars } == straight.trainer.model.parameters.map { $0.tensor.tensor.scalars })
        let last = try #require(straight.trainer.lastMetrics)
        #expect(last.gradientBalancing.map(\.name) == ["r.norm_average", "r.scale", "k.norm_average", "k.scale"])
    }
}
