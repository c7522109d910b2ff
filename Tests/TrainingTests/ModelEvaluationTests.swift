import Evaluation
import Foundation
import JSONConfig
import RunLog
import Testing
@testable import Tensors
@testable import Training

@Suite("Model evaluation")
struct ModelEvaluationTests {
    /// A short run on the shapes (binary images), returning its folder.
    static func trainedRun(_ model: String = "vae", epochs: Int = 2) throws -> String {
        let run = try TrainingRun.start(try TrainingFixtures.configuration(TrainingFixtures.small(model, epochs: epochs)), in: TrainingFixtures.temporaryDirectory() + "/run")
        _ = try run.run()
        return run.directory
    }

    static func options(samples: Int) -> ModelEvaluation.Options {
        var options = ModelEvaluation.Options()
        options.importanceSamples = samples
        options.chunkSize = 7  // so chunks leave a remainder
        return options
    }

    @Test("diagnostics per term, the IWAE bound above the K-sample ELBO and rising with K, generator metrics overall")
    func diagnostics() throws {
        let trained = try TrainedModel.load(try Self.trainedRun())
        #expect(trained.evaluationIndices.count == 154)  // 20% of 768 shapes
        let small = try ModelEvaluation.evaluate(trained, options: Self.options(samples: 3))
        let large = try ModelEvaluation.evaluate(trained, options: Self.options(samples: 60))
        let report = large
        #expect(report.terms.map(\.name) == ["kl"] && report.terms[0].klPerDimension.count == 3)
        #expect(abs(report.terms[0].klPerDimension.reduce(0, +) - report.terms[0].meanKL) < 1e-9)
        let bound = try #require(report.logLikelihood)
        // log-mean-exp ≥ mean, per example: deterministic.
        #expect(bound.mean >= bound.meanLogWeight)
        // The K-sample ELBO estimates the ELBO (exactly in expectation: VAETests checks that with 4,000 samples;
        // here the report's ELBO is one sample per example, so only a sanity margin); the bound rises with K.
        #expect(abs(bound.meanLogWeight - report.elbo) < 2, "\(bound.meanLogWeight) vs \(report.elbo)")
        let fewer = try #require(small.logLikelihood)
        #expect(bound.mean >= fewer.mean - 0.05)
        #expect(report.generator.first?.subset == "all" && report.generator.first?.precisionRecall != nil)
        #expect(report.coverage == nil)  // shapes are not categorical
        let json = report.json
        func first(_ key: String) -> JSONValue? {
            if case .array(let items)? = json[key]?.kind { return items.first }
            return nil
        }
        #expect(first("terms")?["verdict"] != nil && json["log_likelihood_iwae"] != nil && first("generator")?["frechet_distance"] != nil)
    }

    @Test("a collapsed encoder: 0 active units, MI ≈ 0, the verdict says collapsed")
    func collapsed() throws {
        let directory = try Self.trainedRun(epochs: 1)
        // Zero the encoder's last layer: every example gets the same posterior.
        var checkpoint = try Checkpoint.read(directory + "/checkpoints/last.ckpt")
        for name in ["encoder.layers.1.weight"] { checkpoint.tensors[name] = checkpoint.tensors[name]!.map { _ in 0 } }
        let path = TrainingFixtures.temporaryDirectory() + "/collapsed.ckpt"
        try checkpoint.write(to: path)
        let report = try ModelEvaluation.evaluate(try TrainedModel.load(path), options: Self.options(samples: 0))
        let term = try #require(report.terms.first)
        #expect(term.activeUnits.count == 0)
        // Identical posteriors: I(x; z) = 0; the estimate averages one sample per example, so it is 0 only up to
        // its sampling noise, about √(d/2)/√N = 1.2/√154 ≈ 0.1 nats.
        #expect(abs(try #require(term.mutualInformation).nats) < 0.3)
        #expect(term.verdict.status == .collapsed && term.verdict.description.hasPrefix("kl: collapsed: 0 of 3 units informative"), "\(term.verdict.description)")
    }

    @Test("scoring the real examples themselves: precision, recall, density and coverage 1, Fréchet distance 0")
    func identicalSets() throws {
        // Continuous data (distances without ties, which PRDC's density of exactly 1 needs): 200 Gaussian rows.
        let directory = TrainingFixtures.temporaryDirectory()
        var generator = RandomGenerator(seed: 3)
        var values = [Float](repeating: 0, count: 200 * 6)
        values.withUnsafeMutableBufferPointer { generator.fillNormal($0) }
        try NPYWriter.write(values, shape: [200, 6], to: directory + "/gaussian.npy")
        let config = #"{"data": {"source": "npy", "path": "gaussian.npy", "validation_fraction": 0.25}, "model": {"hidden_sizes": [8], "latent_dim": 2, "likelihood": "gaussian"}, "training": {"num_epochs": 1, "batch_size": 50}}"#
        try config.write(toFile: directory + "/run.json", atomically: true, encoding: .utf8)
        let run = try TrainingRun.start(try RunConfiguration.load(file: directory + "/run.json"), in: directory + "/run")
        _ = try run.run()
        let trained = try TrainedModel.load(run.directory)
        let indices = trained.evaluationIndices
        var real = [Float](repeating: 0, count: indices.count * trained.dataset.featureCount)
        real.withUnsafeMutableBufferPointer { trained.dataset.storage.copyRows(indices[...], width: trained.dataset.featureCount, into: $0.baseAddress!) }
        var options = Self.options(samples: 0)
        options.generated = Tensor(rows: indices.count, columns: trained.dataset.featureCount, scalars: real)
        options.generatedSource = "the real examples"
        let report = try ModelEvaluation.evaluate(trained, options: options)
        let all = try #require(report.generator.first)
        let prdc = try #require(all.precisionRecall)
        #expect(prdc.precision == 1 && prdc.recall == 1 && prdc.coverage == 1 && prdc.density == 1)
        #expect(abs(try #require(all.frechet).distance) < 1e-6)
        #expect(abs(try #require(all.meanDiscrepancy).biased) < 1e-12)
        #expect(try #require(all.similarity).nearestNeighbourL2Distance == 0)
    }

    @Test("given rows in the file's units are divided by the run's data.scale divisor first, rows as anneal sample writes them are not: the real examples score as identical either way")
    func generatedScaled() throws {
        let directory = TrainingFixtures.temporaryDirectory()
        var generator = RandomGenerator(seed: 4)
        var values = [Float](repeating: 0, count: 200 * 6)
        values.withUnsafeMutableBufferPointer { generator.fillNormal($0) }
        try NPYWriter.write(values.map { $0 * 100 }, shape: [200, 6], to: directory + "/wide.npy")
        let config = #"{"data": {"source": "npy", "path": "wide.npy", "validation_fraction": 0.25, "scale": 100}, "model": {"hidden_sizes": [8], "latent_dim": 2, "likelihood": "gaussian"}, "training": {"num_epochs": 1, "batch_size": 50}}"#
        try config.write(toFile: directory + "/run.json", atomically: true, encoding: .utf8)
        let run = try TrainingRun.start(try RunConfiguration.load(file: directory + "/run.json"), in: directory + "/run")
        _ = try run.run()
        let trained = try TrainedModel.load(run.directory)
        #expect(trained.dataset.scaleDivisor == 100)
        let indices = trained.evaluationIndices
        var real = [Float](repeating: 0, count: indices.count * trained.dataset.featureCount)
        real.withUnsafeMutableBufferPointer { trained.dataset.storage.copyRows(indices[...], width: trained.dataset.featureCount, into: $0.baseAddress!) }
        var options = Self.options(samples: 0)
        options.generated = Tensor(rows: indices.count, columns: trained.dataset.featureCount, scalars: real.map { $0 * 100 })
        options.generatedSource = "the real examples in the data's units"
        let report = try ModelEvaluation.evaluate(trained, options: options)
        let all = try #require(report.generator.first)
        #expect(try #require(all.precisionRecall).coverage == 1)
        #expect(abs(try #require(all.frechet).distance) < 1e-6)
        #expect(report.text.contains("divided by the run's data.scale divisor 100"), "\(report.text)")
        // The same rows as anneal sample writes them (divided already): taken as they are, and as identical.
        // Their largest |value| is the data's own, within √100 = 10 times it.
        options.generated = Tensor(rows: indices.count, columns: trained.dataset.featureCount, scalars: real)
        let roundTrip = try ModelEvaluation.evaluate(trained, options: options)
        let roundTripAll = try #require(roundTrip.generator.first)
        #expect(abs(try #require(roundTripAll.frechet).distance) < 1e-6)
        #expect(roundTrip.text.contains("taken as divided by data.scale's 100 already, as anneal sample writes them"), "\(roundTrip.text)")
    }

    @Test("a conditional model is sampled with the real labels and judged class by class")
    func byClass() throws {
        let trained = try TrainedModel.load(try Self.trainedRun("cvae", epochs: 1))
        let report = try ModelEvaluation.evaluate(trained, options: Self.options(samples: 0))
        // The shapes have 4 classes.
        #expect(report.generator.map(\.subset).count == 5 && report.generator.dropFirst().allSatisfy { $0.realCount == $0.generatedCount })
        #expect(report.generatedSource.contains("one per real example's label"))
    }

    @Test("ternary operations: exact reconstruction of all 19,683 operations, generated tables drawn as classes")
    func ternary() throws {
        let run = try TrainingRun.start(try TrainingFixtures.configuration(TrainingFixtures.small("vae", data: "ternary_operations", epochs: 1, batchSize: 512)),
                                        in: TrainingFixtures.temporaryDirectory() + "/run")
        _ = try run.run()
        let report = try ModelEvaluation.evaluate(try TrainedModel.load(run.directory), options: Self.options(samples: 0))
        let coverage = try #require(report.coverage)
        #expect(coverage.examples == 19_683 && coverage.fraction >= 0 && coverage.fraction <= 1)
        #expect(report.generatedSource.contains("a class drawn for each group"))
    }

    @Test("errors: no such run, a checkpoint that does not fit the data")
    func errors() throws {
        #expect { try TrainedModel.load("/no/such/run") } throws: { ($0 as? TrainingError)?.message == "/no/such/run: no such run folder or checkpoint" }
        let directory = try Self.trainedRun(epochs: 1)
        let other = TrainingFixtures.temporaryDirectory() + "/other.npy"
        try NPYWriter.write([Float](repeating: 0.5, count: 20 * 5), shape: [20, 5], to: other)
        #expect { try TrainedModel.load(directory, data: .init(kind: .npy, path: other)) } throws: { error in
            (error as? TrainingError)?.message.contains("does not match the data other.npy: parameter encoder.layers.0.weight has 8192 values in the checkpoint, 160 for this data (5 features") == true
        }
    }
}
