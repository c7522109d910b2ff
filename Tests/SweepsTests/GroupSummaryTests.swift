import Foundation
import Testing
@testable import Sweeps

@Suite("GroupSummary")
struct GroupSummaryTests {
    static func result(_ id: String, curve: [Double], kl: Double, units: Int, mi: Double, status: String = "completed") throws -> TrialResult {
        let directory = SweepFixtures.temporaryDirectory() + "/" + id
        SweepFixtures.writeRun(directory, curve: curve, status: status, kl: kl, activeUnits: units, mutualInformation: mi)
        return try TrialResult.read(runDirectory: directory, id: id)
    }

    @Test("mean ± spread over seeds, verdict counts, and the stability and convergence numbers")
    func summary() throws {
        let group = TrialGroup(label: "linear", schedule: "linear", settings: [], betaSummary: "")
        let results = [
            try Self.result("a", curve: [-100, -90, -90, -90], kl: 4, units: 3, mi: 1),
            try Self.result("b", curve: [-100, -80, -82, -80], kl: 6, units: 1, mi: 2, status: "diverged"),
        ]
        let summary = GroupSummary(group: group, groupIndex: 0, planned: 3, results: results)
        #expect(summary.finalELBO?.mean == -85 && summary.finalELBO?.count == 2)
        #expect(abs(summary.finalELBO!.standardDeviation - 50.0.squareRoot()) < 1e-12)  // −90, −80: s = √50
        #expect(summary.kl.map(\.term) == ["kl"] && summary.kl[0].spread?.mean == 5)
        #expect(summary.totalMutualInformation?.mean == 1.5 && summary.totalActiveUnits?.mean == 2)
        #expect(summary.verdicts[0].counts.map(\.verdict) == ["healthy", "partially collapsed"])
        #expect(summary.diverged == 1 && summary.planned == 3)
        // Settle epochs 1 (a: within 0.5 of −90 from epoch 1) and 1 (b: range 20, tolerance 1, −82 is 2 away → epoch 3).
        #expect(summary.settleEpoch?.mean == 2)
        #expect(summary.settleFraction == 0.5)
        // Late wobble: last 2 epochs, a: 0; b: −82, −80 → √2. Instability √(50 + (√2/2)²).
        let wobble = 2.0.squareRoot() / 2
        #expect(abs(summary.instability! - (50 + wobble * wobble).squareRoot()) < 1e-12)
    }

    @Test("a group with nothing finished has no numbers")
    func empty() {
        let summary = GroupSummary(group: TrialGroup(label: "x", schedule: "x", settings: [], betaSummary: ""), groupIndex: 0, planned: 2, results: [])
        #expect(summary.finalELBO == nil && summary.instability == nil && summary.settleFraction == nil)
    }
}
