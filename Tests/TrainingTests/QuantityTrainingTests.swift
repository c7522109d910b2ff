import Foundation
import Data
import JSONConfig
import Schedules
import Testing
@testable import Training

/// Quantities other than β in real training: loss weights, temperature, and feedback controllers whose state
/// survives a checkpoint.
@Suite("Quantities in training")
struct QuantityTrainingTests {
    @Test("a reconstruction weight scales the reconstruction in the optimised loss; temperature is reported")
    func weightsAndTemperature() throws {
        let configuration = try TrainingFixtures.configuration(TrainingFixtures.small("vae", epochs: 1, extra: #", "loss_weights": {"reconstruction": 2}, "temperature": {"type": "linear", "min_beta": 0.5, "max_beta": 1, "warmup_epochs": 2}, "beta_scheduler_type": "constant", "beta_scheduler_params": {"beta": 0.25}"#))
        #expect(configuration.quantities.names == ["beta", "lr", "temperature", "reconstruction_weight"])
        let trainer = try Trainer(configuration: configuration, dataset: try configuration.data.load(), runDirectory: nil)
        var sums = trainer.emptySums()
        let step = trainer.step(trainer.split.training.prefix(64), progress: .epoch(0, stepsPerEpoch: trainer.stepsPerEpoch), sums: &sums)
        // loss = 2·reconstruction + 0.25·KL (batch means).
        #expect(abs(step.loss - (2 * step.reconstruction + 0.25 * step.kl[0])) < 1e-3 * step.loss)
        _ = try trainer.run(observers: [])
        let quantities = try #require(trainer.lastMetrics?.quantities)
        #expect(quantities.map(\.name) == ["beta", "lr", "temperature", "reconstruction_weight"] && quantities[2].value == 0.5)
        // A weight for a KL term or a term the model lacks is an error.
        #expect { try TrainingFixtures.configuration(TrainingFixtures.small("vae", extra: #", "loss_weights": {"kl": 2}"#)) } throws: { error in
            (error as? ConfigError)?.message.contains("\"kl\" is a KL term, weighed by the β schedule (kl_kl_weight)") == true
        }
    }

    static let controlled = TrainingFixtures.small("vae", epochs: 4, extra: #", "controllers": {"beta": {"type": "pi", "target": 2, "kp": 0.05, "ki": 0.01}}"#)

    static let controllers = [
        #"{"type": "pi", "target": 2, "kp": 0.05, "ki": 0.01}"#,
        #"{"type": "homeostatic", "target": 2, "scale_below": 0.9, "scale_above": 1.1}"#,
        #"{"type": "geco", "goal": 30, "step": 0.01}"#,
    ]

    @Test("each controller drives β from what training measures; its state is logged and survives an interruption exactly", arguments: Self.controllers)
    func controllerResume(controller: String) throws {
        let configuration = try TrainingFixtures.configuration(TrainingFixtures.small("vae", epochs: 4, extra: #", "beta_scheduler_type": "constant", "beta_scheduler_params": {"beta": 0.5}, "controllers": {"beta": "# + controller + "}"))
        let typeName = try #require(configuration.quantities["beta"]?.controller?.typeName)
        #expect(controller.contains("\"\(typeName)\""))
        let straight = try TrainingRun.start(configuration, in: TrainingFixtures.temporaryDirectory() + "/straight")
        _ = try straight.run()
        let directory = TrainingFixtures.temporaryDirectory() + "/resumed"
        let first = try TrainingRun.start(configuration, in: directory)
        #expect(try first.run { first.trainer.globalStep == 17 }.outcome == .interrupted)
        let saved = try Checkpoint.read(directory + "/checkpoints/last.ckpt")
        let initial = try #require(configuration.quantities["beta"]?.controller?.initialState())
        #expect(saved.state.controllers.map(\.quantity) == ["beta"] && saved.state.controllers[0].state != initial)
        let resumed = try TrainingRun.resume(directory)
        _ = try resumed.run()
        #expect(resumed.trainer.controllerStates == straight.trainer.controllerStates)
        #expect(resumed.trainer.model.parameters.map { $0.tensor.tensor.scalars } == straight.trainer.model.parameters.map { $0.tensor.tensor.scalars })
        // The controller gave β a positive value, and metrics.jsonl records its state.
        let last = try #require(straight.trainer.lastMetrics)
        #expect(last.beta[0].value > 0 && last.controllers.map(\.quantity) == ["beta"])
        let lines = try String(contentsOfFile: directory + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 4 && lines[3].contains(#""controllers":{"beta":{""# + initial.entries[0].name + "\""))
    }

    @Test("controller errors: an unknown quantity, a measurement the run lacks, a bad parameter")
    func controllerErrors() {
        let cases: [(String, String, String)] = [
            (#", "controllers": {"bta": {"type": "pi", "target": 1}}"#, "training.controllers.bta", "no quantity \"bta\" in this run; did you mean 'beta'? quantities: beta, lr"),
            (#", "controllers": {"beta": {"type": "pi", "target": 1, "measure": "radius"}}"#, "training.controllers.beta", "reacts to \"radius\", which this run does not measure; measurements: loss, reconstruction, kl, kl.kl"),
            (#", "controllers": {"beta": {"type": "pi", "target": -1}}"#, "training.controllers.beta.target", "must be ≥ 0 nats"),
            (#", "controllers": {"beta": {"type": "pid", "target": 1}}"#, "training.controllers.beta.type", "unknown controller type \"pid\""),
            (#", "controllers": {"lr": {"type": "pi", "target": 1}}"#, "training.controllers.lr", "missing required key \"measure\""),
        ]
        for (extra, path, phrase) in cases {
            #expect { try TrainingFixtures.configuration(TrainingFixtures.small("vae", extra: extra)) } throws: { error in
                guard let error = error as? ConfigError else { return false }
                return (error.keyPath ?? .root).description == path && error.message.contains(phrase)
            }
        }
    }

    @Test("phases set the β of a run and name each epoch; a phase may only set the model's quantities")
    func phases() throws {
        let phased = TrainingFixtures.small("hierarchical_cvae", epochs: 3, extra: #", "phases": [{"name": "warm", "start_epoch": 0, "quantities": {"global_kl_weight": 0, "local_kl_weight": 0.5}}, {"name": "full", "start_epoch": 2, "quantities": {"global_kl_weight": 1}}]"#)
        let configuration = try TrainingFixtures.configuration(phased)
        // Both KL terms have their own weight, so the shared (default) β is no quantity of the run.
        #expect(configuration.quantities.names == ["global_kl_weight", "local_kl_weight", "lr"])
        let directory = TrainingFixtures.temporaryDirectory()
        let trainer = try Trainer(configuration: configuration, dataset: try configuration.data.load(), runDirectory: directory)
        var phases: [String?] = [], betas: [[Double]] = []
        _ = try trainer.run(observers: [EpochRecorder { phases.append($0.phase); betas.append($0.beta.map(\.value)) }])
        #expect(phases == ["warm", "warm", "full"] && betas == [[0, 0.5], [0, 0.5], [1, 0.5]])
        let bad = TrainingFixtures.small("vae", extra: #", "phases": [{"name": "a", "start_epoch": 0, "quantities": {"B_kl_weight": 0}}]"#)
        #expect { try TrainingFixtures.configuration(bad) } throws: { error in
            let error = error as! ConfigError
            return error.keyPath?.description == "training.phases[0].quantities.B_kl_weight"
                && error.message == "the vae model has no KL term \"B\"; phases may set lr, temperature, reconstruction_weight, beta, kl_kl_weight"
        }
    }
}

/// Calls `body` with each epoch's metrics.
final class EpochRecorder: TrainingObserver, @unchecked Sendable {
    let body: (EpochMetrics) -> Void
    init(_ body: @escaping (EpochMetrics) -> Void) { self.body = body }
    func epochFinished(_ metrics: EpochMetrics) { body(metrics) }
}

@Suite("Quantity means with skipped steps")
struct SkippedStepQuantityTests {
    /// Values of 1e30 overflow the Gaussian likelihood's squares in float32: every gradient is non-finite and
    /// every step is skipped. The epoch's mean learning rate is still the constant 0.003 (it was 0 when skipped
    /// steps counted in the divisor but not in the sum).
    @Test("skipped steps count in both the sum and the divisor of each quantity's epoch mean")
    func means() throws {
        let configuration = try TrainingFixtures.configuration(TrainingFixtures.small("vae", extra: #", "beta_scheduler_type": "constant", "beta_scheduler_params": {"beta": 0.5}"#)
            .replacingOccurrences(of: #""latent_dim": 3"#, with: #""latent_dim": 3, "likelihood": "gaussian""#))
        let dataset = Dataset(name: "huge", count: 64, featureCount: 4, features: [Float](repeating: 1e30, count: 256))
        let trainer = try Trainer(configuration: configuration, dataset: dataset, runDirectory: nil)
        var sums = trainer.emptySums()
        for batch in 0..<3 { _ = trainer.step(Array(0..<16)[...], progress: .batch(batch, ofEpoch: 0, stepsPerEpoch: 3), sums: &sums) }
        #expect(sums.skippedSteps == 3 && sums.steps == 0)
        let metrics = trainer.finishEpoch(sums: sums, startValues: trainer.plan.values(at: .epoch(0)), started: 0)
        let means = Dictionary(uniqueKeysWithValues: metrics.quantityMeans.map { ($0.name, $0.value) })
        #expect(abs(means["lr"]! - 0.003) < 1e-15 && means["beta"] == 0.5)
    }
}
