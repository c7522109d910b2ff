import Data
import Foundation
import JSONConfig
import RunLog
import Testing
@testable import Training

@Suite("Generator sets (per-class and per-group runs)")
struct GeneratorSetTests {
    static let perGroup = TrainingFixtures.small("vae", epochs: 3, extra: "").replacingOccurrences(
        of: #""latent_dim": 3}"#, with: #""latent_dim": 3, "granularity": "per_group", "groups": {"round": [1], "angular": [0, 2]}}"#)

    static func parameters(_ directory: String) throws -> [String: [Float]] {
        try Checkpoint.read(directory + "/checkpoints/last.ckpt").tensors
    }

    @Test("a per-group run trains one generator per group on its classes, holding out what a unified run holds out")
    func trainsEachGroup() throws {
        let configuration = try TrainingFixtures.configuration(Self.perGroup)
        let directory = TrainingFixtures.temporaryDirectory() + "/set"
        let set = try GeneratorSet.start(configuration, in: directory)
        #expect(set.members.map(\.name) == ["round", "angular"] && set.members.map(\.classes) == [[1], [0, 2]])
        var started: [String] = []
        #expect(try set.run(started: { member, _ in started.append(member.name) }) == .completed)
        #expect(started == ["round", "angular"])

        // Each generator saw only its classes, and its validation examples are the unified split's.
        let shapes = ProceduralShapes.dataset()
        let unifiedValidation = try DataSplit(count: shapes.count, validationFraction: 0.2, seed: 7).validation
        for member in set.members {
            let trained = try TrainedModel.load(member.directory)
            #expect(Set(trained.dataset.labels!) == Set(member.classes.map(Int32.init)))
            let heldOut = trained.evaluationIndices.map { trained.dataset.source!.rows[$0] }
            #expect(heldOut == unifiedValidation.filter { member.classes.contains(Int(shapes.labels![$0])) })
        }
        // The set's summary puts the generators side by side.
        let summary = JSONWriter.compact(try JSONParser.parse(String(contentsOfFile: directory + "/summary.json", encoding: .utf8)))
        #expect(summary.hasPrefix(#"{"status":"completed","granularity":"per_group","generators_finished":2,"generators":2,"#))
        #expect(summary.contains(#"{"name":"angular","classes":[0,2],"folder":"generators/angular","status":"completed","epochs":3,"#))
        #expect(FileManager.default.fileExists(atPath: directory + "/report.html"))
        #expect(GeneratorSet.holdsSet(directory) && !GeneratorSet.holdsSet(set.members[0].directory))
        #expect(set.member(forClass: 2)?.name == "angular" && set.member(forClass: 3) == nil)
    }

    @Test("stopped in its second generator, a set resumes there and ends as the uninterrupted set")
    func resumes() throws {
        let configuration = try TrainingFixtures.configuration(Self.perGroup)
        let straightDirectory = TrainingFixtures.temporaryDirectory() + "/straight"
        #expect(try GeneratorSet.start(configuration, in: straightDirectory).run() == .completed)

        let directory = TrainingFixtures.temporaryDirectory() + "/stopped"
        var inSecond = false, polls = 0
        let first = try GeneratorSet.start(configuration, in: directory)
        // Stop a few steps into the second generator (angular: 2 classes, 4 steps an epoch), inside its second epoch.
        let outcome = try first.run(started: { member, _ in inSecond = member.name == "angular" },
                                    shouldStop: { if inSecond { polls += 1 }; return polls > 5 })
        #expect(outcome == .interrupted)
        #expect(first.status(first.members[0]) == "completed" && first.status(first.members[1]) == "interrupted")
        let summary = JSONWriter.compact(try JSONParser.parse(String(contentsOfFile: directory + "/summary.json", encoding: .utf8)))
        #expect(summary.hasPrefix(#"{"status":"interrupted","granularity":"per_group","generators_finished":1,"#))

        let resumed = try GeneratorSet.resume(directory)
        var started: [String] = []
        #expect(try resumed.run(started: { member, _ in started.append(member.name) }) == .completed)
        #expect(started == ["angular"])
        for member in resumed.members {
            #expect(try Self.parameters(member.directory) == Self.parameters(straightDirectory + "/generators/" + member.name), "\(member.name)")
        }
    }

    @Test("a set needs labels, and every class of a group present")
    func refusals() throws {
        let file = TrainingFixtures.temporaryDirectory() + "/points.npy"
        try NPYWriter.write([Float](repeating: 0.5, count: 40), shape: [20, 2], to: file)
        let unlabelled = try TrainingFixtures.configuration(Self.perGroup.replacingOccurrences(of: #""source": "shapes""#, with: #""source": "npy", "path": "\#(file)""#))
        #expect { try GeneratorSet.start(unlabelled, in: TrainingFixtures.temporaryDirectory() + "/a") } throws: { error in
            (error as! TrainingError).message.contains("per_group trains one generator per group of classes, but points.npy has no labels")
        }
        let missing = try TrainingFixtures.configuration(Self.perGroup.replacingOccurrences(of: #""round": [1]"#, with: #""round": [1, 9]"#))
        #expect { try GeneratorSet.start(missing, in: TrainingFixtures.temporaryDirectory() + "/b") } throws: { error in
            (error as! TrainingError).message.contains("model.groups.round: class 9 has no example in shapes")
        }
    }

    @Test("the set is judged generator by generator and all together on the unified run's held-out examples")
    func evaluation() throws {
        let configuration = try TrainingFixtures.configuration(Self.perGroup.replacingOccurrences(of: #""num_epochs": 3"#, with: #""num_epochs": 1"#))
        let directory = TrainingFixtures.temporaryDirectory() + "/set"
        #expect(try GeneratorSet.start(configuration, in: directory).run() == .completed)
        var options = ModelEvaluation.Options()
        options.importanceSamples = 0
        let evaluation = try GeneratorSetEvaluation.evaluate(directory, options: options)
        #expect(evaluation.members.map(\.member.name) == ["round", "angular"])
        let shapes = ProceduralShapes.dataset()
        let validation = try DataSplit(count: shapes.count, validationFraction: 0.2, seed: 7).validation.filter { shapes.labels![$0] != 3 }
        #expect(evaluation.members.map(\.evaluation.examples).reduce(0, +) == validation.count)
        #expect(evaluation.combined.realCount == validation.count && evaluation.combined.generatedCount == validation.count)
        #expect(evaluation.combined.precisionRecall != nil && evaluation.combined.frechet != nil)
        let json = JSONWriter.compact(evaluation.json)
        #expect(json.contains(#""granularity":"per_group","generators":[{"name":"round","classes":[1],"evaluation":{"checkpoint":"#) && json.contains(#""all_generators":{"subset":"all""#))
        #expect(evaluation.text.contains("all generators together"))
    }
}
