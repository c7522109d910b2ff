import Foundation
import Testing
import TestTemporaryDirectory

@Suite("The tests' temporary folder")
struct TestTemporaryDirectoryTests {
    @Test("every temporary file of the tests is under the process's own folder, which its exit removes")
    func ownFolder() throws {
        let root = String(cString: anneal_test_temporary_root())
        // ANNEAL_KEEP_TEST_FILES keeps the files where they were made: nothing to check.
        guard !root.isEmpty else { return }
        #expect(URL(fileURLWithPath: root).lastPathComponent.hasPrefix("anneal-tests-"))
        #expect(FileManager.default.temporaryDirectory.standardizedFileURL.path.hasPrefix(root))
        #expect(TrainingFixtures.temporaryDirectory().hasPrefix(root))
        #expect(ProcessInfo.processInfo.environment["TMPDIR"] == root)
    }
}
