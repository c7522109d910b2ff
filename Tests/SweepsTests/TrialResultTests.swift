import Foundation
import Testing
@testable import Sweeps

@Suite("TrialResult")
struct TrialResultTests {
    @Test("settle epoch: the first epoch from which the curve stays within 5 % of its range of the final value")
    func settleEpoch() {
        // Range 100 − 0 = 100, tolerance 5: from epoch 3 on every value is within 5 of 100.
        #expect(TrialResult.settleEpoch([0, 50, 90, 96, 99, 100]) == 3)
        // A curve that swings back late settles late.
        #expect(TrialResult.settleEpoch([0, 100, 100, 40, 100]) == 4)
        #expect(TrialResult.settleEpoch([7]) == 0)
        #expect(TrialResult.settleEpoch([]) == nil)
    }

    @Test("late wobble: the standard deviation over the last quarter (at least two epochs)")
    func lateWobble() {
        // 8 epochs: the last 2 are 1 and 3, s = √2.
        #expect(abs(TrialResult.lateWobble([0, 0, 0, 0, 0, 0, 1, 3])! - 2.0.squareRoot()) < 1e-12)
        #expect(TrialResult.lateWobble([5]) == nil)
    }

    @Test("collapse verdicts follow anneal evaluate's rule")
    func verdicts() {
        #expect(TrialResult.verdict(activeUnits: 0, dimensions: 4, kl: 3) == "collapsed")
        #expect(TrialResult.verdict(activeUnits: 3, dimensions: 4, kl: 0.001) == "collapsed")
        #expect(TrialResult.verdict(activeUnits: 1, dimensions: 4, kl: 3) == "partially collapsed")
        #expect(TrialResult.verdict(activeUnits: 2, dimensions: 4, kl: 3) == "healthy")
        // With the run's KL per dimension and mutual information: units under 0.1 nats carry nothing.
        #expect(TrialResult.verdict(activeUnits: 4, dimensions: 4, kl: 0.12, klPerDimension: [0.03, 0.03, 0.03, 0.03]) == "collapsed")
        #expect(TrialResult.verdict(activeUnits: 4, dimensions: 4, kl: 2.2, klPerDimension: [2, 0.2, 0.01, 0.01]) == "healthy")
        #expect(TrialResult.verdict(activeUnits: 4, dimensions: 4, kl: 2.2, klPerDimension: [2, 0.2, 0.01, 0.01], mutualInformation: 0.01) == "collapsed")
    }

    @Test("a run folder reads into a result, which round-trips through result.json")
    func readsRunFolder() throws {
        let directory = SweepFixtures.temporaryDirectory() + "/run"
        SweepFixtures.writeRun(directory, curve: [-200, -150, -120, -119], kl: 5, activeUnits: 1, dimensions: 3, mutualInformation: 0.8, seconds: 3.5)
        let result = try TrialResult.read(runDirectory: directory, id: "abc")
        #expect(result.status == "completed" && result.epochs == 4)
        #expect(result.finalValidationELBO == -119 && result.bestValidationELBO == -119 && result.bestEpoch == 3)
        #expect(result.reconstruction == 114 && result.kl.map(\.value) == [5] && result.activeUnits.map(\.value) == [1])
        #expect(result.dimensions.map(\.value) == [3] && result.mutualInformation.map(\.value) == [0.8])
        #expect(result.verdicts.map(\.value) == ["partially collapsed"])
        // Range 81, tolerance 4.05: −120 is within it of −119, −150 is not.
        #expect(result.settleEpoch == 2 && result.seconds == 3.5)
        let back = try TrialResult(json: result.json, file: "result.json")
        #expect(back.json == result.json)
    }

    @Test("a folder without summary.json is not a result")
    func missingSummary() {
        #expect(throws: SweepError.self) { try TrialResult.read(runDirectory: SweepFixtures.temporaryDirectory(), id: "x") }
    }
}
