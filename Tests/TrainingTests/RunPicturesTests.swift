import Data
import Foundation
import Imaging
import Testing
@testable import Training

@Suite("Run pictures")
struct RunPicturesTests {
    @Test("an image run writes samples.png, reconstructions.png (examples above their reconstructions) and traversal.png, and report.html shows them")
    func imageRun() throws {
        let directory = TrainingFixtures.temporaryDirectory() + "/run"
        let run = try TrainingRun.start(try TrainingFixtures.configuration(TrainingFixtures.small(epochs: 1)), in: directory)
        _ = try run.run()
        // 32 samples of 16 × 16 at scale 64/16 = 4, 8 a row, padding 2: 8·(64 + 2) + 2 = 530 by 4·(64 + 2) + 2 = 266.
        let samples = try PNGImage(contentsOf: directory + "/" + RunPictures.samplesFile)
        #expect(samples.width == 530 && samples.height == 266 && samples.format == .grayscale)
        // 16 examples evenly spaced through the validation split, each row of 8 followed by its reconstructions: 4 rows.
        let pictures = try PNGImage(contentsOf: directory + "/" + RunPictures.reconstructionsFile)
        #expect(pictures.width == 530 && pictures.height == 266)
        let validation = run.trainer.split.validation
        for (cell, pick) in [(0, 0), (9, 9)] {
            // Cell c is at grid row 2·(c / 8), column c % 8; its pixel (x, y) at (2 + 66·column + 4x, 2 + 66·row + 4y).
            let row = validation[pick * validation.count / 16]
            let (gridRow, gridColumn) = (2 * (cell / 8), cell % 8)
            for (x, y) in [(0, 0), (5, 7), (15, 15), (8, 3)] {
                let expected = UInt8((run.trainer.dataset.storage[row * 256 + y * 16 + x] * 255).rounded())
                #expect(pictures[2 + 66 * gridColumn + 4 * x, 2 + 66 * gridRow + 4 * y] == expected, "example \(row), (\(x), \(y))")
            }
        }
        // The traversal: 3 latent dimensions a row each, 10 values: 10·66 + 2 = 662 by 3·66 + 2 = 200.
        let traversal = try PNGImage(contentsOf: directory + "/" + RunPictures.traversalFile)
        #expect(traversal.width == 662 && traversal.height == 200)
        let html = try RunReport(directories: [directory]).html
        #expect(html.contains("Samples and reconstructions") && html.components(separatedBy: "data:image/png;base64,").count == 4)
        #expect(html.contains("Latent traversal: one row per dimension"))
    }

    @Test("data that is not images gets no pictures and no picture section")
    func vectorRun() throws {
        let directory = TrainingFixtures.temporaryDirectory() + "/run"
        _ = try TrainingRun.start(try TrainingFixtures.configuration(TrainingFixtures.small(data: "ternary_operations", epochs: 1)), in: directory).run()
        #expect(!FileManager.default.fileExists(atPath: directory + "/" + RunPictures.samplesFile))
        #expect(!(try RunReport(directories: [directory]).html.contains("Samples and reconstructions")))
    }
}
