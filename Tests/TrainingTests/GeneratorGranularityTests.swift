import JSONConfig
import Testing
@testable import Training

@Suite("Generator granularity")
struct GeneratorGranularityTests {
    static func model(_ members: String) -> String {
        """
        {"data": {"source": "shapes"}, "model": {"type": "vae", "hidden_sizes": [16], "latent_dim": 2\(members)},
         "training": {"num_epochs": 2, "batch_size": 64, "learning_rate": 0.003}}
        """
    }

    @Test("unified by default; per_class; per_group with named groups; each writes back as read")
    func reads() throws {
        #expect(try TrainingFixtures.configuration(Self.model("")).granularity == .unified)
        let perClass = try TrainingFixtures.configuration(Self.model(#", "granularity": "per_class""#))
        #expect(perClass.granularity == .perClass)
        let perGroup = try TrainingFixtures.configuration(Self.model(#", "granularity": "per_group", "groups": {"round": [1], "angular": [0, 2, 3]}"#))
        #expect(perGroup.granularity == .perGroup([("round", [1]), ("angular", [0, 2, 3])]))
        for configuration in [perClass, perGroup] {
            let again = try RunConfiguration.parse(try JSONParser.parse(JSONWriter.pretty(configuration.json)))
            #expect(again.granularity == configuration.granularity && again.json == configuration.json)
        }
    }

    @Test("mistakes are named with their key path", arguments: [
        (#", "granularity": "per_group""#, "model.granularity", "per_group needs model.groups"),
        (#", "granularity": "per_group", "groups": {"a": [0], "b": [0, 1]}"#, "model.groups.b[0]", "class 0 is in both \"a\" and \"b\""),
        (#", "granularity": "per_group", "groups": {"a": []}"#, "model.groups.a", "at least one class"),
        (#", "granularity": "per_group", "groups": {"a b": [0]}"#, "model.groups.a b", "folder's name"),
        (#", "granularity": "per_group", "groups": {"a": [-1]}"#, "model.groups.a[0]", "a label ≥ 0"),
        (#", "granularity": "per_class", "groups": {"a": [0]}"#, "model.groups", "groups are for granularity \"per_group\""),
        (#", "granularity": "each""#, "model.granularity", "unified, per_class, per_group"),
    ])
    func errors(members: String, keyPath: String, message: String) {
        #expect {
            try TrainingFixtures.configuration(Self.model(members))
        } throws: { error in
            let error = error as! ConfigError
            return error.keyPath?.description == keyPath && error.description.contains(message)
        }
    }

    @Test("a per-class conditional model is refused; data.classes trains on some classes; generator_training_epochs is num_epochs")
    func related() throws {
        let conditional = Self.model(#", "granularity": "per_class""#).replacingOccurrences(of: #""type": "vae""#, with: #""type": "cvae""#)
        #expect { try TrainingFixtures.configuration(conditional) } throws: { error in
            (error as! ConfigError).description.contains("model.granularity: a per_class generator sees one class, so a cvae has nothing to condition on")
        }
        let some = try TrainingFixtures.configuration(Self.model("").replacingOccurrences(of: #""source": "shapes""#, with: #""source": "shapes", "classes": [0, 3]"#))
        #expect(some.dataClasses == [0, 3])
        let dataset = try TrainingRun.load(some)
        #expect(Set(dataset.labels!) == [0, 3] && dataset.count == 384)  // 768 shapes, 192 of each
        let again = try RunConfiguration.parse(try JSONParser.parse(JSONWriter.pretty(some.json)))
        #expect(again.dataClasses == [0, 3])
        let absent = try TrainingFixtures.configuration(Self.model("").replacingOccurrences(of: #""source": "shapes""#, with: #""source": "shapes", "classes": [7]"#))
        #expect { try TrainingRun.load(absent) } throws: { error in
            (error as! TrainingError).message == "shapes has no example with label 7 (data.classes)"
        }
        let renamed = try TrainingFixtures.configuration(Self.model("").replacingOccurrences(of: #""num_epochs": 2"#, with: #""generator_training_epochs": 5"#))
        #expect(renamed.training.numEpochs == 5)
        #expect { try TrainingFixtures.configuration(Self.model("").replacingOccurrences(of: #""num_epochs": 2"#, with: #""num_epochs": 2, "generator_training_epochs": 5"#)) } throws: { _ in true }
    }
}
