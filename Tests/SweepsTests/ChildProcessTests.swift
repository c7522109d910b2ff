import Foundation
import Testing
@testable import Sweeps

@Suite("ChildProcess")
struct ChildProcessTests {
    @Test("exit statuses and signals are told apart; output goes to the file, appended")
    func terminations() throws {
        let log = SweepFixtures.temporaryDirectory() + "/out.log"
        #expect(try ChildProcess.spawn(executable: "/bin/sh", arguments: ["-c", "echo one; exit 3"], outputPath: log).wait() == .exited(3))
        #expect(try ChildProcess.spawn(executable: "/bin/sh", arguments: ["-c", "echo two >&2"], outputPath: log).wait() == .exited(0))
        #expect(try String(contentsOfFile: log, encoding: .utf8) == "one\ntwo\n")
        let sleeper = try ChildProcess.spawn(executable: "/bin/sleep", arguments: ["30"], newProcessGroup: true)
        #expect(sleeper.poll() == nil)
        sleeper.send(SIGKILL, toGroup: true)
        #expect(sleeper.wait() == .signalled(SIGKILL))
    }

    @Test("the inherited descriptor is the child's descriptor 3")
    func descriptorThree() throws {
        let directory = SweepFixtures.temporaryDirectory()
        let target = directory + "/target"
        let descriptor = open(target, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        defer { close(descriptor) }
        #expect(try ChildProcess.spawn(executable: "/bin/sh", arguments: ["-c", "echo through >&3"], inheriting: descriptor).wait() == .exited(0))
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "through\n")
    }

    @Test("a program that cannot start is an error naming it")
    func missingProgram() {
        #expect { try ChildProcess.spawn(executable: "/nonexistent/anneal", arguments: []) } throws: { "\($0)".contains("/nonexistent/anneal") }
    }
}
