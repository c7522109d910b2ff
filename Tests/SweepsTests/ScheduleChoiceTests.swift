import Foundation
import JSONConfig
import Testing
@testable import Sweeps

@Suite("ScheduleChoice")
struct ScheduleChoiceTests {
    @Test("a file's β keys are taken from a bare schedule or a run config; other training keys are listed as unused")
    func files() throws {
        let directory = SweepFixtures.temporaryDirectory()
        let bare = directory + "/steps_config.json"
        try #"{"beta_scheduler_type": "piecewise", "beta_scheduler_params": {"knots": [[0, 0], [2, 1]]}}"#.write(toFile: bare, atomically: true, encoding: .utf8)
        let choice = try ScheduleChoice.read(bare, numEpochs: 4)
        #expect(choice.label == "steps" && choice.ignoredKeys.isEmpty && choice.file == bare)
        #expect(choice.members(numEpochs: 4)?.map(\.key) == ["beta_scheduler_type", "beta_scheduler_params"])

        let run = directory + "/run.json"
        try #"{"data": {"source": "shapes"}, "training": {"learning_rate": 0.01, "beta_scheduler_type": "constant", "beta_scheduler_params": {"beta": 0.5}}}"#
            .write(toFile: run, atomically: true, encoding: .utf8)
        let fromRun = try ScheduleChoice.read(run, numEpochs: 4)
        #expect(fromRun.ignoredKeys == ["learning_rate"] && fromRun.members(numEpochs: 4)?.count == 2)
    }

    @Test("an unknown name is a usage error that suggests the nearest and lists the built-ins")
    func unknownName() {
        do {
            _ = try ScheduleChoice.read("cosin", numEpochs: 4)
            Issue.record("no error")
        } catch {
            #expect(error.isUsage && error.message.contains("(did you mean 'cosine'?)") && error.message.contains("warm_restart, hierarchical"))
        }
    }

    @Test("a file without a β schedule, or with a bad one, is refused with the file named")
    func badFiles() throws {
        let directory = SweepFixtures.temporaryDirectory()
        let none = directory + "/none.json"
        try #"{"training": {"learning_rate": 0.01}}"#.write(toFile: none, atomically: true, encoding: .utf8)
        #expect { try ScheduleChoice.read(none, numEpochs: 4) } throws: { "\($0)".contains("none.json has no β schedule") }
        let bad = directory + "/bad.json"
        try #"{"beta_scheduler_type": "cyclical", "beta_scheduler_params": {"cycle_lenght": 3}}"#.write(toFile: bad, atomically: true, encoding: .utf8)
        #expect { try ScheduleChoice.read(bad, numEpochs: 4) } throws: { "\($0)".contains("bad.json") && "\($0)".contains("cycle_length") }
        #expect { try ScheduleChoice.read(directory + "/missing.json", numEpochs: 4) } throws: { "\($0)".contains("missing.json") }
    }
}
