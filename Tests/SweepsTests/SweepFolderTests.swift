import Foundation
import Testing
@testable import Sweeps

@Suite("SweepFolder")
struct SweepFolderTests {
    @Test("a trial's state follows its folder: nothing, started, checkpointed, trained, recorded, failed")
    func states() throws {
        let folder = SweepFolder(SweepFixtures.temporaryDirectory())
        let id = "0123456789abcdef"
        let directory = folder.trialDirectory(id)
        #expect(folder.state(id) == .notStarted)
        try FileManager.default.createDirectory(atPath: directory + "/checkpoints", withIntermediateDirectories: true)
        try "{}".write(toFile: folder.failurePath(id), atomically: true, encoding: .utf8)
        try #"{"message": "bad"}"#.write(toFile: folder.failurePath(id), atomically: true, encoding: .utf8)
        #expect(folder.state(id) == .failed("bad"))
        try "{}".write(toFile: directory + "/config.json", atomically: true, encoding: .utf8)
        #expect(folder.state(id) == .startedWithoutCheckpoint)
        try "x".write(toFile: directory + "/checkpoints/last.ckpt", atomically: true, encoding: .utf8)
        #expect(folder.state(id) == .resumable)
        try #"{"status": "interrupted"}"#.write(toFile: directory + "/summary.json", atomically: true, encoding: .utf8)
        #expect(folder.state(id) == .resumable)
        try #"{"status": "diverged"}"#.write(toFile: directory + "/summary.json", atomically: true, encoding: .utf8)
        #expect(folder.state(id) == .trainedUnrecorded)
        try "{}".write(toFile: folder.resultPath(id), atomically: true, encoding: .utf8)
        #expect(folder.state(id) == .finished)
    }

    @Test("starting again clears the run's files but keeps the claim, log, history and trial config")
    func clearUnfinished() throws {
        let folder = SweepFolder(SweepFixtures.temporaryDirectory())
        let id = "feedfacefeedface"
        try FileManager.default.createDirectory(atPath: folder.trialDirectory(id), withIntermediateDirectories: true)
        for name in ["claim.lock", "train.log", "trial.json", "config.json", "metrics.jsonl", "run.lock"] {
            try "x".write(toFile: folder.trialDirectory(id) + "/" + name, atomically: true, encoding: .utf8)
        }
        folder.recordEvent(id, "start", shard: ShardSelection(index: 1, count: 3))
        folder.clearUnfinishedRun(id)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.trialDirectory(id)).sorted()
        #expect(left == ["claim.lock", "history.jsonl", "train.log", "trial.json"])
        let history = folder.history(id)
        #expect(history.count == 1 && history[0]["event"] == .string("start") && history[0]["shard"] == .string("1/3"))
    }

    @Test("a run.lock nobody holds is removed (its owner is named); a held one is left")
    func staleRunLock() throws {
        let folder = SweepFolder(SweepFixtures.temporaryDirectory())
        let id = "00000000000000aa"
        try FileManager.default.createDirectory(atPath: folder.trialDirectory(id), withIntermediateDirectories: true)
        let path = folder.trialDirectory(id) + "/run.lock"
        try #"{"host":"h","pid":1}"#.write(toFile: path, atomically: true, encoding: .utf8)
        let holder = open(path, O_RDWR | O_CLOEXEC)
        #expect(flock(holder, LOCK_EX | LOCK_NB) == 0)
        #expect(folder.removeStaleRunLock(id) == nil && FileManager.default.fileExists(atPath: path))
        close(holder)
        #expect(folder.removeStaleRunLock(id) == #"{"host":"h","pid":1}"#)
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(folder.removeStaleRunLock(id) == nil)
    }
}
