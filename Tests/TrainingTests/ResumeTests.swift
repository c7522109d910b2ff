import JSONConfig
import Foundation
import Testing
@testable import Training

@Suite("Checkpoints and exact resume")
struct ResumeTests {
    func parameters(_ trainer: Trainer) -> [[Float]] { trainer.model.parameters.map { $0.tensor.tensor.scalars } }

    @Test("resuming with another thread count is recorded in the run's changes and warned about")
    func threadChangeRecorded() throws {
        let directory = TrainingFixtures.temporaryDirectory() + "/run"
        let run = try TrainingRun.start(try TrainingFixtures.configuration(TrainingFixtures.small(epochs: 1)), in: directory, threads: 1)
        _ = try run.run()
        let resumed = try TrainingRun.resume(directory, epochs: 2, threads: 2)
        #expect(resumed.warnings.contains { $0.hasPrefix("this session uses 2 threads, the run used 1 before") })
        _ = try resumed.run()
        let changes = try Checkpoint.read(directory + "/checkpoints/last.ckpt").state.changes
        #expect(changes.contains("before epoch 1, step 10: threads 1 → 2 (--threads; results differ from here on in the last digits)"), "\(changes)")
        // The same thread count records nothing.
        let again = try TrainingRun.resume(directory, epochs: 3, threads: 2)
        _ = try again.run()
        #expect(try Checkpoint.read(directory + "/checkpoints/last.ckpt").state.changes.filter { $0.contains("threads") }.count == 1)
    }

    @Test("4 epochs straight and 2 + resume 2 give bit-identical parameters, for each model", arguments: ["vae", "cvae", "hierarchical_cvae"])
    func resumeEquality(model: String) throws {
        let extra = #", "beta_granularity": "step", "free_bits": {"lambda": 0.05, "variant": "per_dimension"}, "lr_scheduler": {"type": "cosine_warm_restarts", "T_0": 2}"#
        let configuration = try TrainingFixtures.configuration(TrainingFixtures.small(model, extra: extra))
        let dataset = try configuration.data.load()

        let straight = try Trainer(configuration: configuration, dataset: dataset, runDirectory: TrainingFixtures.temporaryDirectory())
        #expect(try straight.run(observers: []) == .completed)

        // The same 4-epoch run, stopped after its second epoch. (A 2-epoch config would be another run: the
        // default cyclical β has 4 cycles over num_epochs.)
        let directory = TrainingFixtures.temporaryDirectory()
        let first = try Trainer(configuration: configuration, dataset: dataset, runDirectory: directory)
        #expect(try first.run(observers: []) { first.epoch >= 2 } == .interrupted)
        let checkpoint = try Checkpoint.read(directory + "/checkpoints/last.ckpt")
        #expect(checkpoint.state.epoch == 2 && checkpoint.state.position == nil)

        let resumed = try Trainer(configuration: configuration, dataset: dataset, runDirectory: directory)
        try resumed.restore(checkpoint, file: "last.ckpt")
        _ = try resumed.run(observers: [])
        #expect(resumed.globalStep == straight.globalStep)
        let sameParameters = parameters(resumed) == parameters(straight)
        #expect(sameParameters)
        let sameOptimizer = resumed.optimizer.state == straight.optimizer.state
        #expect(sameOptimizer)
        #expect(resumed.lastMetrics?.validationELBO == straight.lastMetrics?.validationELBO)
    }

    @Test("an interruption inside an epoch saves the exact position, and resuming from it matches the straight run")
    func interruptMidEpoch() throws {
        let configuration = try TrainingFixtures.configuration(TrainingFixtures.small("vae"))
        let dataset = try configuration.data.load()
        let straight = try Trainer(configuration: configuration, dataset: dataset, runDirectory: TrainingFixtures.temporaryDirectory())
        _ = try straight.run(observers: [])

        let directory = TrainingFixtures.temporaryDirectory()
        let interrupted = try Trainer(configuration: configuration, dataset: dataset, runDirectory: directory)
        #expect(try interrupted.run(observers: []) { interrupted.globalStep == 13 } == .interrupted)
        let checkpoint = try Checkpoint.read(directory + "/checkpoints/last.ckpt")
        #expect(checkpoint.state.position != nil)
        #expect(checkpoint.state.globalStep == 13)
        // The order is saved as the generator it was drawn from, not as one index per training example.
        #expect(checkpoint.state.position?.order == [] && checkpoint.state.position?.orderGenerator != nil)
        let resumed = try Trainer(configuration: configuration, dataset: dataset, runDirectory: directory)
        try resumed.restore(checkpoint, file: "last.ckpt")
        #expect(try resumed.run(observers: []) == .completed)
        let sameParameters = parameters(resumed) == parameters(straight)
        #expect(sameParameters)

        // A checkpoint written before that holds the order itself: it still resumes to the straight run.
        var old = checkpoint.state
        var generator = old.position!.orderGenerator!
        let order = configuration.sampler.order(epoch: old.epoch, training: resumed.split.training, dataset: dataset, generator: &generator)
        old.position = EpochPosition(epoch: old.position!.epoch, order: order, nextBatch: old.position!.nextBatch, sums: old.position!.sums,
                                     startValues: old.position!.startValues, quantityNames: old.position!.quantityNames)
        let fromOrder = try Trainer(configuration: configuration, dataset: dataset, runDirectory: TrainingFixtures.temporaryDirectory())
        var oldCheckpoint = checkpoint
        oldCheckpoint.state = old
        try fromOrder.restore(oldCheckpoint, file: "old.ckpt")
        #expect(try fromOrder.run(observers: []) == .completed)
        let sameAgain = parameters(fromOrder) == parameters(straight)
        #expect(sameAgain)
    }

    @Test("training.steps_per_epoch trains at most that many steps an epoch, each from the epoch's own order")
    func stepsPerEpoch() throws {
        let text = TrainingFixtures.small("vae", extra: #", "steps_per_epoch": 3"#)
        let configuration = try TrainingFixtures.configuration(text)
        #expect(configuration.training.stepsPerEpoch == 3)
        let trainer = try Trainer(configuration: configuration, dataset: try configuration.data.load(), runDirectory: nil)
        #expect(trainer.stepsPerEpoch == 3)
        #expect(try trainer.run(observers: []) == .completed)
        #expect(trainer.globalStep == 3 * configuration.training.numEpochs)
        // Written back into config.json, and more steps than a pass gives one pass.
        #expect(configuration.json["training"]?["steps_per_epoch"] == .number(3))
        let long = try TrainingFixtures.configuration(TrainingFixtures.small("vae", extra: #", "steps_per_epoch": 100000"#))
        let whole = try Trainer(configuration: long, dataset: try long.data.load(), runDirectory: nil)
        let pass = (whole.split.training.count + long.training.batchSize - 1) / long.training.batchSize
        #expect(whole.stepsPerEpoch == pass)
    }

    @Test("the same seed gives the same run; another seed does not")
    func determinism() throws {
        let a = try TrainingFixtures.configuration(TrainingFixtures.small("vae", data: "ternary_operations"), epochs: 1)
        let dataset = try a.data.load()
        let first = try Trainer(configuration: a, dataset: dataset, runDirectory: TrainingFixtures.temporaryDirectory())
        let second = try Trainer(configuration: a, dataset: dataset, runDirectory: TrainingFixtures.temporaryDirectory())
        _ = try first.run(observers: [])
        _ = try second.run(observers: [])
        let same = parameters(first) == parameters(second)
        #expect(same)
        let other = try RunConfiguration.parse(try JSONConfigShim.parse(TrainingFixtures.small("vae", data: "ternary_operations")), epochs: 1, seed: 8)
        let third = try Trainer(configuration: other, dataset: dataset, runDirectory: TrainingFixtures.temporaryDirectory())
        _ = try third.run(observers: [])
        let different = parameters(third) != parameters(first)
        #expect(different)
    }

    @Test("a damaged, foreign or mismatched checkpoint is a clear error")
    func badCheckpoints() throws {
        let configuration = try TrainingFixtures.configuration(TrainingFixtures.small("vae"), epochs: 1)
        let dataset = try configuration.data.load()
        let directory = TrainingFixtures.temporaryDirectory()
        let trainer = try Trainer(configuration: configuration, dataset: dataset, runDirectory: directory)
        _ = try trainer.run(observers: [])
        let path = directory + "/checkpoints/last.ckpt"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: directory + "/damaged.ckpt"))
        #expect { try Checkpoint.read(directory + "/damaged.ckpt") } throws: { ($0 as? CheckpointError)?.reason == "is damaged or truncated (checksum mismatch)" }
        try Data(bytes.prefix(100)).write(to: URL(fileURLWithPath: directory + "/short.ckpt"))
        #expect(throws: CheckpointError.self) { try Checkpoint.read(directory + "/short.ckpt") }
        try Data("hello".utf8).write(to: URL(fileURLWithPath: directory + "/foreign.ckpt"))
        #expect { try Checkpoint.read(directory + "/foreign.ckpt") } throws: { ($0 as? CheckpointError)?.reason == "is not an anneal checkpoint" }

        let wider = try TrainingFixtures.configuration(TrainingFixtures.small("vae", hidden: 48), epochs: 1)
        let other = try Trainer(configuration: wider, dataset: dataset, runDirectory: TrainingFixtures.temporaryDirectory())
        let checkpoint = try Checkpoint.read(path)
        #expect { try other.restore(checkpoint, file: "last.ckpt") } throws: { error in
            (error as? TrainingError)?.message.contains("encoder.layers.0.weight has 8192 values in the checkpoint, 12288 in this model (48 × 256); the model's shape changed") == true
        }
    }
}

/// Parses JSON text for tests that need the parser directly.
enum JSONConfigShim {
    static func parse(_ text: String) throws -> JSONConfig.JSONValue { try JSONConfig.JSONParser.parse(text) }
}
