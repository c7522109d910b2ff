import Foundation
import Testing
@testable import Sweeps

@Suite("TrialClaim")
struct TrialClaimTests {
    @Test("one claim at a time: a second attempt is busy and names the holder; released, it can be claimed again")
    func exclusive() throws {
        let path = SweepFixtures.temporaryDirectory() + "/claim.lock"
        guard case .claimed(let first) = try TrialClaim.attempt(path, note: "shard 1/4") else { Issue.record("not claimed"); return }
        #expect(TrialClaim.isHeld(path))
        guard case .busy(let holder) = try TrialClaim.attempt(path, note: "other") else { Issue.record("claimed twice"); return }
        #expect(holder?.contains("process \(getpid())") == true && holder?.contains("shard 1/4") == true)
        first.release()
        #expect(!TrialClaim.isHeld(path))
        guard case .claimed(let second) = try TrialClaim.attempt(path, note: "") else { Issue.record("not claimed after release"); return }
        second.release()
        second.release()  // idempotent
    }

    @Test("a claim held by a child process outlives the parent's copy, and ends with the child")
    func inheritedByChild() throws {
        let path = SweepFixtures.temporaryDirectory() + "/claim.lock"
        guard case .claimed(let claim) = try TrialClaim.attempt(path, note: "") else { Issue.record("not claimed"); return }
        let child = try ChildProcess.spawn(executable: "/bin/sleep", arguments: ["0.5"], inheriting: claim.descriptor)
        claim.release()
        #expect(TrialClaim.isHeld(path))
        #expect(child.wait() == .exited(0))
        #expect(!TrialClaim.isHeld(path))
    }
}
