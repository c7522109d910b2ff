@testable import Data
import Foundation
import JSONConfig
import Tensors
import Testing
@testable import Training

/// Separate validation and test files, the split seed and standardisation, from the config to evaluation.
@Suite("Data files, split seed and standardisation")
struct DataPreparationTests {
    /// 60 examples of 3 features on scales of thousands (as unscaled real data), rows `offset…`.
    static func wide(_ count: Int, offset: Int = 0) -> [[Double]] {
        (0..<count).map { index in
            let i = Double(index + offset)
            return [1000 + 37 * i.truncatingRemainder(dividingBy: 17), -4000 + 3 * i, 250 * sin(i)]
        }
    }

    static func write(_ rows: [[Double]], to path: String) throws {
        try (["a,b,c"] + rows.map { $0.map { String($0) }.joined(separator: ",") }).joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    static func parse(_ text: String, in directory: String) throws -> RunConfiguration {
        try RunConfiguration.parse(try JSONParser.parse(text), file: directory + "/run.json")
    }

    @Test("config errors: validation_fraction with validation_path, labels without their file or without training labels, split_seed < 0, keys on built-in data")
    func configErrors() throws {
        let cases: [(String, String)] = [
            (#"{"path": "a.csv", "validation_path": "b.csv", "validation_fraction": 0.2}"#, "data.validation_fraction"),
            (#"{"path": "a.npy", "validation_labels_path": "l.npy"}"#, "validation_labels_path needs validation_path"),
            (#"{"path": "a.npy", "labels_path": "l.npy", "test_path": "t.npy"}"#, "test_path needs test_labels_path too"),
            (#"{"path": "a.csv", "test_path": "t.csv", "test_labels_path": "l.npy"}"#, "takes its labels from label_column"),
            (#"{"path": "a.csv", "split_seed": -1}"#, "data.split_seed"),
            (#"{"path": "a.csv", "validation_path": "b.csv", "split_seed": 3}"#, "no split to seed"),
            (#"{"source": "shapes", "standardize": true}"#, "takes no standardize"),
            (#"{"path": "a.csv", "standardize": "yes"}"#, "data.standardize"),
        ]
        for (data, message) in cases {
            #expect(throws: ConfigError.self, "\(data)") { _ = try Self.parse(#"{"data": \#(data)}"#, in: "/tmp") }
            do { _ = try Self.parse(#"{"data": \#(data)}"#, in: "/tmp") } catch { #expect("\(error)".contains(message), "\(data): \(error)") }
        }
    }

    @Test("the new data keys round-trip through config.json")
    func roundTrip() throws {
        let config = try Self.parse(#"{"data": {"path": "a.npy", "labels_path": "l.npy", "validation_path": "v.npy", "validation_labels_path": "vl.npy", "test_path": "t.npy", "test_labels_path": "tl.npy", "standardize": true}}"#, in: "/d")
        #expect(config.data.validationPath == "/d/v.npy" && config.data.testLabelsPath == "/d/tl.npy" && config.data.standardize)
        let again = try RunConfiguration.parse(config.json, file: "/d/config.json")
        #expect(again.data == config.data && again.json["data"].map(JSONWriter.compact) == config.json["data"].map(JSONWriter.compact))
        let seeded = try Self.parse(#"{"data": {"path": "a.csv", "split_seed": 5}}"#, in: "/d")
        #expect(try RunConfiguration.parse(seeded.json, file: "/d/config.json").splitSeed == 5)
    }

    @Test("split_seed fixes the held-out examples whatever the training seed; without it the training seed chooses")
    func splitSeed() throws {
        let directory = TrainingFixtures.temporaryDirectory()
        try Self.write(Self.wide(50), to: directory + "/a.csv")
        func split(_ data: String, seed: Int) throws -> DataSplit {
            let config = try Self.parse(#"{"data": {"path": "a.csv"\#(data)}, "training": {"seed": \#(seed)}}"#, in: directory)
            return try config.split(try config.data.load())
        }
        #expect(try split(#", "split_seed": 11"#, seed: 1) == split(#", "split_seed": 11"#, seed: 2))
        #expect(try split(#", "split_seed": 11"#, seed: 1) != split(#", "split_seed": 12"#, seed: 1))
        // Without split_seed the training seed seeds the split, as before (split_seed 1 = seed 1).
        #expect(try split("", seed: 1) == split(#", "split_seed": 1"#, seed: 9))
        #expect(try split("", seed: 1) != split("", seed: 2))
    }

    @Test("a validation file is the validation split; standardisation uses the training file's statistics only; the test file and samples use the saved ones")
    func standardisedRunWithFiles() throws {
        let directory = TrainingFixtures.temporaryDirectory()
        let training = Self.wide(60), validation = Self.wide(20, offset: 500), test = Self.wide(10, offset: 900)
        try Self.write(training, to: directory + "/train.csv")
        try Self.write(validation, to: directory + "/val.csv")
        try Self.write(test, to: directory + "/test.csv")
        let config = try Self.parse(#"""
            {"data": {"path": "train.csv", "validation_path": "val.csv", "test_path": "test.csv", "standardize": true},
             "model": {"hidden_sizes": [8], "latent_dim": 2}, "training": {"num_epochs": 2, "batch_size": 16}}
            """#, in: directory)
        let run = try TrainingRun.start(config, in: directory + "/run")
        #expect(run.trainer.split.training == Array(0..<60) && run.trainer.split.validation == Array(60..<80))
        // The statistics are the training file's: feature 1 is −4000 + 3i for i = 0…59, mean −4000 + 3·29.5 = −3911.5,
        // population σ = 3·√((60² − 1)/12) = 3·17.318102 = 51.954307.
        let standardization = try #require(run.dataset.standardization)
        #expect(abs(standardization.mean[1] - -3911.5) < 1e-3 && abs(standardization.standardDeviation[1] - 51.954307) < 1e-3)
        #expect(run.notes.contains { $0.contains("standardised with the mean and standard deviation of the 60 training examples") })
        #expect(run.notes.contains { $0.hasPrefix("likelihood gaussian") })
        #expect(!run.notes.contains { $0.contains("set data.standardize") })
        let (outcome, _) = try run.run()
        #expect(outcome == .completed)

        // The checkpoint carries the statistics; the test file is standardised with them, not its own.
        let trained = try TrainedModel.load(directory + "/run", split: .test)
        #expect(trained.evaluationSet == "test file test.csv" && trained.evaluationIndices == Array(0..<10))
        #expect(trained.dataset.standardization == standardization)
        let expected = (test[0][1] - Double(standardization.mean[1])) / Double(standardization.standardDeviation[1])
        #expect(abs(Double(trained.dataset.features[1]) - expected) < 1e-4)
        var options = ModelEvaluation.Options()
        options.importanceSamples = 0
        let report = try ModelEvaluation.evaluate(trained, options: options)
        #expect(report.examples == 10 && report.standardized && report.text.contains("test file test.csv, standardised"))
        let validationModel = try TrainedModel.load(directory + "/run")
        #expect(validationModel.evaluationIndices == Array(60..<80) && validationModel.evaluationSet == "validation file val.csv")
        // Generated rows in the data's units (as anneal sample writes them) are standardised before they are
        // compared: the validation file's own rows, given as "generated", then match the real ones exactly.
        var given = ModelEvaluation.Options()
        given.importanceSamples = 0
        given.generated = Tensor(rows: 20, columns: 3, scalars: validationRows(validationModel).map { Float($0) })
        given.generatedSource = "val rows"
        let compared = try ModelEvaluation.evaluate(validationModel, options: given)
        #expect(compared.generatedSource.contains("standardised with the run's statistics"))
        let frechet = try #require(compared.generator.first?.frechet)
        #expect(abs(frechet.distance) < 1e-3, "\(frechet.distance)")
        #expect(try TrainedModel.load(directory + "/run", split: .training).evaluationIndices == Array(0..<60))
        // Resuming recomputes the same statistics.
        let resumed = try TrainingRun.resume(directory + "/run", epochs: 3)
        #expect(resumed.dataset.standardization == standardization)
    }

    /// The raw rows of the validation file (wide(20, offset: 500)), flattened.
    func validationRows(_ trained: TrainedModel) -> [Double] { Self.wide(20, offset: 500).flatMap { $0 } }

    @Test("--split test without a test file, and unscaled data without standardisation, say what to do")
    func advice() throws {
        let directory = TrainingFixtures.temporaryDirectory()
        try Self.write(Self.wide(40), to: directory + "/a.csv")
        let config = try Self.parse(#"{"data": {"path": "a.csv"}, "model": {"hidden_sizes": [8], "latent_dim": 2}, "training": {"num_epochs": 1}}"#, in: directory)
        let run = try TrainingRun.start(config, in: directory + "/run")
        #expect(run.notes.contains { $0.contains("values reach 4000") && $0.contains("set data.standardize: true") })
        // 40 rows, 10 % held out: 36 training (under one batch of 128) and 4 validation examples.
        #expect(run.notes.contains("small data: only 36 training examples, fewer than one batch of 128; only 4 validation examples: the validation ELBO (one posterior sample each) is noisy, and so is the choice of best.ckpt"), "\(run.notes)")
        _ = try run.run()
        #expect { _ = try TrainedModel.load(directory + "/run", split: .test) } throws: { "\($0)".contains("names no test file (data.test_path)") }
    }

    @Test("an explicit Bernoulli likelihood is checked against the first rows before the whole file is read")
    func previewCheck() throws {
        let directory = TrainingFixtures.temporaryDirectory()
        try Self.write(Self.wide(3000), to: directory + "/a.csv")
        let config = try Self.parse(#"{"data": {"path": "a.csv"}, "model": {"likelihood": "bernoulli", "hidden_sizes": [8], "latent_dim": 2}}"#, in: directory)
        #expect { _ = try TrainingRun.start(config, in: directory + "/run") } throws: {
            // The preview holds the first 1000 rows of 3000: the check fires on them.
            "\($0)".hasPrefix(directory + "/a.csv: its first 1000 rows already hold values in [") && "\($0)".contains("model.likelihood bernoulli needs [0, 1]")
        }
        #expect(!FileManager.default.fileExists(atPath: directory + "/run/config.json"))
        // Standardised, or a likelihood left to the data, is not checked.
        #expect(try Self.parse(#"{"data": {"path": "a.csv", "standardize": true}, "model": {"likelihood": "bernoulli"}}"#, in: directory).previewCheck == nil)
        #expect(try Self.parse(#"{"data": {"path": "a.csv"}}"#, in: directory).previewCheck == nil)
    }

    @Test("standardising floors σ_j at a tenth of feature j's largest deviation: a pixel lit once in 1,000 images reaches 10, not 31.6; wine keeps every σ; the start line says so, and that pixels fit better unstandardised")
    func standardDeviationFloor() throws {
        // Feature 0 alternates 0/1 (σ = 0.5, largest deviation 0.5); feature 1 is 1 in one row of 100:
        // μ = 0.01, σ = √(0.01·0.99) = 0.0995, largest deviation 0.99 → 0.99/10 = 0.099 < 0.0995, kept.
        var values: [Float] = []
        for row in 0..<100 { values += [Float(row % 2), row == 0 ? 1 : 0] }
        let dataset = Dataset(name: "pixels", count: 100, featureCount: 2, features: values)
        let statistics = FeatureStandardization(fitting: dataset, rows: Array(0..<100))
        #expect(statistics.flooredFeatures == 0)
        var rare: [Float] = []
        for row in 0..<1000 { rare += [Float(row % 2), row == 0 ? 1 : 0] }
        // Feature 1 lit once in 1,000: μ = 0.001, σ = √(0.001·0.999) = 0.031607, largest deviation 0.999:
        // floor 0.0999 > σ, so σ_1 = 0.0999 and the lit value standardises to 0.999/0.0999 = 10 (unfloored 31.6).
        let floored = FeatureStandardization(fitting: Dataset(name: "rare", count: 1000, featureCount: 2, features: rare), rows: Array(0..<1000))
        #expect(floored.flooredFeatures == 1 && abs(Double(floored.standardDeviation[1]) - 0.0999) < 1e-6 && floored.standardDeviation[0] == 0.5)
        #expect(abs(floored.largestUnflooredValue - 0.999 / 0.031607) < 1e-3)
        var standardized = rare
        floored.apply(&standardized)
        #expect(abs(standardized[1] - 10) < 1e-4)
        // Gaussian-like features (wine's lie within 5 σ) are never floored: a feature spread as −3…3 in steps.
        let ordinary = (0..<601).map { Float($0 - 300) / 100 }
        #expect(FeatureStandardization(fitting: Dataset(name: "ordinary", count: 601, featureCount: 1, features: ordinary), rows: Array(0..<601)).flooredFeatures == 0)
        let configuration = try RunConfiguration.parse(try JSONParser.parse(#"{"data": {"path": "x.npy", "standardize": true}}"#), file: "/tmp/run.json")
        let prepared = try configuration.prepared(Dataset(name: "rare", count: 1000, featureCount: 2, features: rare))
        #expect(prepared.notes.last?.contains("1 nearly constant feature divided by a tenth of its largest deviation from the mean instead of its σ, so no value exceeds ±10 (unfloored, one would reach 30)") == true, "\(prepared.notes)")  // over the 900 training rows: (1 − 1/900)/σ = √899 = 29.98
        #expect(prepared.notes.last?.contains("these look like pixels in [0, 1]") == true)
    }
}
