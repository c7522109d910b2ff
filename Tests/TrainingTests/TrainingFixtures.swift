import Foundation
import JSONConfig
@testable import Training

enum TrainingFixtures {
    static func temporaryDirectory() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("anneal-training-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func configuration(_ text: String, epochs: Int? = nil) throws(ConfigError) -> RunConfiguration {
        try RunConfiguration.parse(try JSONParser.parse(text), file: "run.json", epochs: epochs)
    }

    /// A small, fast run on the shapes (or ternary) data.
    static func small(_ model: String = "vae", data: String = "shapes", epochs: Int = 4, hidden: Int = 32, batchSize: Int = 64, seed: Int = 7, extra: String = "") -> String {
        """
        {"data": {"source": "\(data)", "validation_fraction": 0.2},
         "model": {"type": "\(model)", "hidden_sizes": [\(hidden)], "latent_dim": 3},
         "training": {"num_epochs": \(epochs), "batch_size": \(batchSize), "learning_rate": 0.003, "seed": \(seed)\(extra)}}
        """
    }
}
