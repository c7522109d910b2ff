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

    @Test("every model type (and the Poincaré latent) on image data draws samples, reconstructions and a traversal per latent block",
          arguments: [("vae", ""), ("cvae", ""), ("hierarchical_cvae", #", "global_latent_dim": 2, "local_latent_dim": 3"#),
                      ("dual_vae", #", "latent_dim_b": 2"#), ("vae", #", "latent_geometry": "poincare""#)])
    func everyModelType(model: String, extra: String) throws {
        let configuration = try TrainingFixtures.configuration(TrainingFixtures.small(model, epochs: 1).replacingOccurrences(of: #""latent_dim": 3"#, with: #""latent_dim": 3\#(extra)"#))
        let trainer = try Trainer(configuration: configuration, dataset: try configuration.data.load(), runDirectory: nil)
        let directory = TrainingFixtures.temporaryDirectory()
        let written = try RunPictures.write(trainer, to: directory)
        let blocks: [String] = switch model {
        case "hierarchical_cvae": ["global", "local"]
        case "dual_vae": ["A", "B"]
        default: []
        }
        let traversals = blocks.isEmpty ? [RunPictures.traversalFile] : blocks.map { "traversal-\($0).png" }
        for file in [RunPictures.samplesFile, RunPictures.reconstructionsFile] + traversals {
            #expect(written.contains(file), "\(model)\(extra): \(file) not in \(written)")
            let image = try PNGImage(contentsOf: directory + "/" + file)
            // 16 × 16 images at scale 4 with 2 pixels of padding: every grid is a whole number of 66-pixel cells.
            #expect(image.width % 66 == 2 && image.height % 66 == 2, "\(model)\(extra): \(file) is \(image.width) × \(image.height)")
        }
        // One traversal row per latent dimension of the block (the dual model's B has latent_dim_b = 2).
        let rows = try traversals.map { (try PNGImage(contentsOf: directory + "/" + $0).height - 2) / 66 }
        #expect(rows == (model == "hierarchical_cvae" ? [2, 3] : model == "dual_vae" ? [3, 2] : [3]), "\(model)\(extra)")
    }
}
