@testable import Data
import Foundation
import JSONConfig
import Testing
@testable import Training
import Models

/// Defaults that follow the user's data, and the notes that say what was chosen.
@Suite("Defaults from the data")
struct DataDefaultsTests {
    static func write(_ rows: [[Double]], header: String, to path: String) throws {
        try ([header] + rows.map { $0.map { String($0) }.joined(separator: ",") }).joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test("no likelihood: Bernoulli for values in [0, 1], Gaussian otherwise, said in the notes and written to config.json")
    func likelihood() throws {
        let directory = TrainingFixtures.temporaryDirectory()
        try Self.write((0..<40).map { [Double($0 % 2), 0.5] }, header: "a,b", to: directory + "/unit.csv")
        try Self.write((0..<40).map { [Double($0) * 40, -3] }, header: "a,b", to: directory + "/wide.csv")
        for (file, expected) in [("unit.csv", "bernoulli"), ("wide.csv", "gaussian")] {
            let config = try RunConfiguration.parse(try JSONParser.parse(#"{"data": {"path": "\#(file)"}, "model": {"hidden_sizes": [8], "latent_dim": 2}, "training": {"num_epochs": 1}}"#),
                                                    file: directory + "/run.json")
            #expect(config.data.kind == .csv)
            let run = try TrainingRun.start(config, in: directory + "/run-" + file)
            #expect(run.configuration.model.likelihood.name == expected && run.trainer.configuration.model.likelihood.name == expected)
            #expect(run.notes.first?.hasPrefix("likelihood \(expected)") == true && run.notes.first?.contains("chosen from the data") == true)
            let written = try String(contentsOfFile: directory + "/run-" + file + "/config.json", encoding: .utf8)
            #expect(written.contains(#""likelihood": "\#(expected)""#))
        }
        // A likelihood the config names is kept, and an unknown extension asks for data.source.
        let named = try RunConfiguration.parse(try JSONParser.parse(#"{"data": {"path": "wide.csv"}, "model": {"likelihood": "mse"}}"#), file: directory + "/run.json")
        #expect(!named.model.likelihoodFromData && named.model.likelihood.name == "mse")
        #expect { _ = try RunConfiguration.parse(try JSONParser.parse(#"{"data": {"path": "x.bin"}}"#), file: "run.json") } throws: {
            "\($0)".contains("data.path") && "\($0)".contains("give data.source")
        }
    }

    @Test("data.scale: uint8 pixels divided by 255 with a note; none, max and a number; labels say how they became classes")
    func scaleAndLabels() throws {
        // uint8 values 0…16 (as scikit-learn's digits), in a .npy written by hand: magic, version 1.0, header, data.
        let directory = TrainingFixtures.temporaryDirectory()
        var header = "{'descr': '|u1', 'fortran_order': False, 'shape': (4, 2), }"
        header += String(repeating: " ", count: 63 - (10 + header.utf8.count) % 64) + "\n"
        var bytes = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0]) + Data(header.utf8)
        bytes += Data([0, 16, 8, 4, 2, 1, 16, 0])
        try bytes.write(to: URL(fileURLWithPath: directory + "/digits.npy"))
        var source = DataSource(kind: .npy, path: directory + "/digits.npy")
        let auto = try source.load()
        // 0–16 is not 8-bit pixels: divided by its maximum, 16 (divided by 255 every value would lie below 0.07).
        #expect(auto.features[1] == 1 && auto.notes == ["digits.npy: uint8 values from 0 to 16 divided by 16, their maximum (not 255: a range this small is not 8-bit pixels; data.scale: \"none\" keeps them, or give a number to divide by)"])
        source.scale = .maximum
        #expect(try source.load().features[1] == 1)
        source.scale = .none
        let none = try source.load()
        #expect(none.features[1] == 16 && none.notes.isEmpty)
        source.scale = .divide(4)
        #expect(try source.load().features[1] == 4)
        let config = try RunConfiguration.parse(try JSONParser.parse(#"{"data": {"path": "digits.npy", "scale": "max"}}"#), file: directory + "/run.json")
        #expect(config.data.scale == .maximum)
        #expect(try RunConfiguration.parse(config.json, file: directory + "/again.json").data.scale == .maximum)
        #expect { _ = try RunConfiguration.parse(try JSONParser.parse(#"{"data": {"path": "digits.npy", "scale": -2}}"#), file: "run.json") } throws: {
            "\($0)".contains("data.scale") && "\($0)".contains("positive number")
        }
        // Labels 5–7 of 8 classes: the note names the empty ones.
        let labelled = try DataSource.dataset(NumericArray(values: [0, 1, 2, 3], shape: [4, 1], elementType: .float32), labels: [5, 7, 7, 6], file: "x.npy", labelsFile: "y.npy")
        #expect(labelled.classCount == 8 && labelled.notes.last == "labels are class indices: 8 classes (0–7), of which 5 have no example (0–4)")
    }

    @Test("whole numbers from 0 to 255 of any type are pixels: float32 0–255 and CSV are divided by 255, float64 0–16 by 16, and the likelihood chosen is Bernoulli; other numbers are kept")
    func pixelsOfAnyType() throws {
        let pixels: [Float] = [0, 255, 128, 3, 17, 0]
        for type in [NumericElementType.float32, .float64, .int16, .text] {
            let dataset = try DataSource.dataset(NumericArray(values: pixels, shape: [3, 2], elementType: type), labels: nil, file: "mnist.npy", labelsFile: nil)
            #expect(dataset.scaleDivisor == 255 && dataset.features[1] == 1, "\(type)")
            #expect(dataset.notes.first?.contains("whole-number values (\(type == .text ? "CSV" : type.rawValue)) from 0 to 255 divided by 255, taken for 8-bit pixels") == true, "\(dataset.notes)")
            var configuration = try TrainingFixtures.configuration(#"{"data": {"source": "shapes"}}"#)
            configuration.model.likelihoodFromData = true
            #expect(configuration.chooseLikelihood(for: dataset)?.hasPrefix("likelihood bernoulli") == true)
        }
        // scikit-learn's digits as float64, 0–16: divided by their maximum.
        let digits = try DataSource.dataset(NumericArray(values: [0, 16, 8, 4], shape: [2, 2], elementType: .float64), labels: nil, file: "digits.npy", labelsFile: nil)
        #expect(digits.scaleDivisor == 16 && digits.features == [0, 1, 0.5, 0.25])
        // Not pixels: a fraction, a negative value, or a value past 255 leaves the data as it is.
        for values: [Float] in [[0, 200, 0.5, 3], [0, 200, -1, 3], [0, 256, 1, 3]] {
            let kept = try DataSource.dataset(NumericArray(values: values, shape: [2, 2], elementType: .float32), labels: nil, file: "x.npy", labelsFile: nil)
            #expect(kept.scaleDivisor == nil && kept.features == values, "\(values)")
        }
    }
}

@Suite("Sizes refused before allocating")
struct SizeLimitTests {
    @Test("a model too large for the machine is an error with its size, before anything is allocated")
    func modelTooLarge() throws {
        for model in [#""hidden_sizes": [1000000000], "latent_dim": 4"#, #""hidden_sizes": [16], "latent_dim": 1000000000"#] {
            let configuration = try TrainingFixtures.configuration(#"{"data": {"source": "shapes"}, "model": {\#(model)}, "training": {"num_epochs": 1}}"#)
            #expect { _ = try Trainer(configuration: configuration, dataset: try configuration.data.load(), runDirectory: nil) } throws: {
                "\($0)".hasPrefix("the model is too large for this machine: the model would need") && "\($0)".contains("GB of memory")
            }
        }
        // A normal model passes: 256 features, hidden 32, latent 3 → (257·32 + 33·6)·2 parameters.
        #expect(Trainer.sizeProblem(try VAE(latentSize: 3).plans(ModelShape(featureCount: 256, hiddenSizes: [32], likelihood: .bernoulli)), latent: 3,
                                    batchSize: 128, examples: 768) == nil)
    }

    @Test("a latent of 10⁵ dimensions on 20,000 examples is refused for its activations and evaluation, though its parameters would fit")
    func largeLatentActivations() throws {
        let shape = ModelShape(featureCount: 27, hiddenSizes: [128], likelihood: .bernoulli)
        // Parameters: (28·128 + 129·2·10⁵ + (10⁵ + 1)·128 + 129·27)·2 ≈ 7.7·10⁷ → 1.2 GB, within the budget alone;
        // evaluation: 4·8·19,683·10⁵ bytes = 63 GB.
        let problem = try #require(Trainer.sizeProblem(try VAE(latentSize: 100_000).plans(shape), latent: 100_000, batchSize: 256, examples: 19_683))
        #expect(problem.contains("63 GB to evaluate 19683 examples' 100000-dimensional codes"), "\(problem)")
        #expect(Trainer.sizeProblem(try VAE(latentSize: 8).plans(shape), latent: 8, batchSize: 256, examples: 19_683) == nil)
    }

    @Test("labels of a million or 2³¹ are refused as class indices with the reason")
    func hugeLabels() {
        for label in [1_000_000.0, 2_147_483_648] {
            #expect { _ = try DataSource.dataset(NumericArray(values: [0, 1], shape: [2, 1], elementType: .float32), labels: [0, label], file: "x.npy", labelsFile: "y.npy") } throws: {
                "\($0)".contains("y.npy") && "\($0)".contains("class indices below 100000") && "\($0)".contains("\(Int64(label))")
            }
        }
    }
}
