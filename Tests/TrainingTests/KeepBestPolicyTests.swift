import JSONConfig
import Testing
@testable import Training

@Suite("Keep-best policy")
struct KeepBestPolicyTests {
    static func metrics(coverage: Double?, correlation: Double?, elbo: Double? = nil, epoch: Int = 0) -> EpochMetrics {
        var metrics = EpochMetrics(epoch: epoch, globalStep: 0, loss: 1, reconstruction: 1, kl: [], klPerDimension: [], beta: [], learningRate: 0.001,
                                   validationKL: [], activeUnits: [], skippedSteps: 0, meanGradientNorm: 0, seconds: 0)
        metrics.coverage = coverage
        metrics.radialCorrelation = correlation
        metrics.validationELBO = elbo
        return metrics
    }

    /// The recipe's policy: "coverage improved, or radial correlation improved without losing more than 1 %
    /// coverage" (relative: coverage ≥ saved − 0.01·saved).
    static let recipe = KeepBestPolicy(rules: [
        .init(metric: .coverage),
        .init(name: "geometry", metric: .radialCorrelation, keeping: [.init(metric: .coverage, tolerance: 0.01)]),
    ])

    @Test("the recipe's two rules, epoch by epoch, against the readings of the last save")
    func recipeRules() {
        let policy = Self.recipe
        // Epoch 0: nothing saved yet, the first rule with a measured metric fires.
        #expect(policy.firedRule(Self.metrics(coverage: 0.5, correlation: -0.1), saved: nil)?.name == "coverage")
        let saved = policy.readings(Self.metrics(coverage: 0.5, correlation: -0.1))
        #expect(saved == ["coverage": 0.5, "radial_correlation": -0.1])
        // Coverage up: "coverage".
        #expect(policy.firedRule(Self.metrics(coverage: 0.51, correlation: 0.3), saved: saved)?.name == "coverage")
        // Coverage 0.496 ≥ 0.5 − 0.005 = 0.495 and ρ −0.2 < −0.1: "geometry".
        #expect(policy.firedRule(Self.metrics(coverage: 0.496, correlation: -0.2), saved: saved)?.name == "geometry")
        // Coverage 0.494 < 0.495: the geometry gain does not count.
        #expect(policy.firedRule(Self.metrics(coverage: 0.494, correlation: -0.9), saved: saved) == nil)
        // Equal is not better.
        #expect(policy.firedRule(Self.metrics(coverage: 0.5, correlation: -0.1), saved: saved) == nil)
        // An unmeasured metric never fires its rule.
        #expect(policy.firedRule(Self.metrics(coverage: nil, correlation: nil), saved: saved) == nil)
        // The default: the validation ELBO, higher is better.
        #expect(KeepBestPolicy.validationELBO.firedRule(Self.metrics(coverage: nil, correlation: nil, elbo: -80), saved: ["validation_elbo": -81])?.name == "validation_elbo")
        #expect(KeepBestPolicy.validationELBO.firedRule(Self.metrics(coverage: nil, correlation: nil, elbo: -82), saved: ["validation_elbo": -81]) == nil)
    }

    @Test("config: the recipe's policy reads and writes back; mistakes are named")
    func config() throws {
        let text = TrainingFixtures.small("vae", data: "ternary_operations", extra: #", "keep_best": [{"metric": "coverage"}, {"name": "geometry", "metric": "radial_correlation", "keeping": {"coverage": 0.01}}]"#)
        let configuration = try TrainingFixtures.configuration(text)
        #expect(configuration.training.keepBest == Self.recipe)
        #expect(try RunConfiguration.parse(configuration.json, file: "again.json").training.keepBest == Self.recipe)
        let cases: [(String, String, String)] = [
            (#"[]"#, "training.keep_best", "at least one rule"),
            (#"[{"metric": "coverge"}]"#, "training.keep_best[0].metric", "coverage"),
            (#"[{"metric": "coverage", "keeping": {"elbow": 0.1}}]"#, "training.keep_best[0].keeping.elbow", "is not a metric"),
            (#"[{"metric": "coverage", "keeping": {"loss": -1}}]"#, "training.keep_best[0].keeping.loss", "tolerance ≥ 0"),
            (#"[{"metric": "coverage"}, {"metric": "coverage"}]"#, "training.keep_best[1]", "two rules are named"),
        ]
        for (value, path, phrase) in cases {
            #expect { try TrainingFixtures.configuration(TrainingFixtures.small("vae", extra: #", "keep_best": "# + value)) } throws: { error in
                guard let error = error as? ConfigError else { return false }
                return (error.keyPath ?? .root).description == path && error.message.contains(phrase)
            }
        }
    }

    @Test("a run on the ternary operations logs coverage, radius and radial correlation each epoch, and best.ckpt records its rule")
    func inTraining() throws {
        let text = TrainingFixtures.small("vae", data: "ternary_operations", epochs: 3, batchSize: 512,
                                          extra: #", "keep_best": [{"metric": "coverage"}, {"name": "geometry", "metric": "radial_correlation", "keeping": {"coverage": 0.01}}]"#)
        let directory = TrainingFixtures.temporaryDirectory() + "/run"
        let run = try TrainingRun.start(try TrainingFixtures.configuration(text), in: directory)
        _ = try run.run()
        let last = try #require(run.trainer.lastMetrics)
        let coverage = try #require(last.coverage), radius = try #require(last.radiusMean), correlation = try #require(last.radialCorrelation)
        #expect(coverage >= 0 && coverage <= 1 && radius > 0 && abs(correlation) <= 1)
        let best = try Checkpoint.read(directory + "/checkpoints/best.ckpt")
        #expect(["coverage", "geometry"].contains(best.state.bestRule ?? ""))
        #expect(best.state.bestMetrics?["coverage"] != nil)
        let lines = try String(contentsOfFile: directory + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3 && lines.allSatisfy { $0.contains(#""coverage":"#) && $0.contains(#""radial_correlation":"#) && $0.contains(#""radius_mean":"#) })
        let summary = try String(contentsOfFile: directory + "/summary.json", encoding: .utf8)
        #expect(summary.contains(#""best_rule": "coverage""#) || summary.contains(#""best_rule": "geometry""#))
    }
}
