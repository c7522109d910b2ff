import Foundation
import Testing
@testable import Sweeps

@Suite("TrialClaim")
struct TrialClaimTests {
    /// Whether the claim is free within a second. Another test spawning a process at the moment of the release
    /// holds a copy of every descriptor between its fork and its exec (which closes them): under load that
    /// can take a while, though never long.
    static func freed(_ path: String) -> Bool {
        for _ in 0..<100 {
            if !TrialClaim.isHeld(path) { return true }
            usleep(10_000)
        }
        return false
    }

    @Test("one claim at a time: a second attempt is busy and names the holder; released, it can be claimed again")
    func exclusive() throws {
        let path = SweepFixtures.temporaryDirectory() + "/claim.lock"
        guard case .claimed(let first) = try TrialClaim.attempt(path, note: "shard 1/4") else { Issue.record("not claimed"); return }
        #expect(TrialClaim.isHeld(path))
        guard case .busy(let holder) = try TrialClaim.attempt(path, note: "other") else { Issue.record("claimed twice"); return }
        #expect(holder?.contains("process \(getpid())") == true && holder?.contains("shard 1/4") == true)
        first.release()
        #expect(Self.freed(path))
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
        #expect(Self.freed(path))
    }
}
