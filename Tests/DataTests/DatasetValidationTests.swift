@testable import Data
import Foundation
import Testing

@Suite("A separate validation file")
struct DatasetValidationTests {
    @Test("its examples follow the training file's and are the designated validation rows; classes are the larger count")
    func appended() throws {
        let training = Dataset(name: "train", count: 3, featureCount: 2, features: [0, 1, 2, 3, 4, 5], labels: [0, 1, 0], classCount: 2)
        let validation = Dataset(name: "val", count: 2, featureCount: 2, features: [6, 7, 8, 9], labels: [2, 1], classCount: 3)
        let combined = try training.appendingValidation(validation, file: "val.npy")
        #expect(combined.count == 5 && combined.features == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] && combined.labels == [0, 1, 0, 2, 1])
        #expect(combined.designatedValidation == 3..<5 && combined.classCount == 3 && combined.name == "train")
    }

    @Test("different features, labels on one side only, or difficulties are errors naming the validation file")
    func mismatches() {
        let training = Dataset(name: "train", count: 2, featureCount: 2, features: [0, 1, 2, 3])
        let cases: [(Dataset, String)] = [
            (Dataset(name: "v", count: 1, featureCount: 3, features: [0, 1, 2]), "has 3 features per example, but the training data train has 2"),
            (Dataset(name: "v", count: 1, featureCount: 2, features: [0, 1], labels: [0], classCount: 1), "has labels but the training data train has none"),
        ]
        for (validation, message) in cases {
            #expect { _ = try training.appendingValidation(validation, file: "v.npy") } throws: { "\($0)".hasPrefix("v.npy: " + message) }
        }
    }

    @Test("the validation file is divided by what the training file was divided by, not by its own range")
    func sameScale() throws {
        // Training uint8 values up to 200 → divided by 255 (data.scale auto: pixels); validation values 0 and 1
        // alone would stay as they are, but must be divided by 255 too.
        let training = TestFiles.temporary("train.npy", TestFiles.npy(descr: "|u1", shape: "(2, 2)", data: [0, 200, 8, 4]))
        let validation = URL(fileURLWithPath: training).deletingLastPathComponent().appendingPathComponent("val.npy").path
        try Data(TestFiles.npy(descr: "|u1", shape: "(1, 2)", data: [1, 0])).write(to: URL(fileURLWithPath: validation))
        var source = DataSource(kind: .npy, path: training)
        source.validationPath = validation
        let dataset = try source.load()
        #expect(dataset.count == 3 && dataset.designatedValidation == 2..<3)
        #expect(dataset.features[4] == 1.0 / 255 && dataset.scaleDivisor == 255)
        #expect(dataset.notes.count == 1)  // the training file's scaling note, said once
        // The same validation images as fractions (divided by 255 already) would be divided again: refused.
        try Data(TestFiles.npy(descr: "<f4", shape: "(1, 2)", data: TestFiles.floats([0.5, 0]))).write(to: URL(fileURLWithPath: validation))
        #expect { _ = try source.load() } throws: { "\($0)".contains("val.npy: holds values up to 0.5 while the training file's reach 200.0") && "\($0)".contains("looks divided already") }
    }
}
