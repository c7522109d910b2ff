import Foundation
import Testing
@testable import JSONConfig

@Suite("ConfigFile")
struct ConfigFileTests {
    func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("anneal-\(UUID().uuidString).json").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("a missing file, a directory, an empty file and non-UTF-8 bytes are clear errors naming the file")
    func badFiles() throws {
        #expect(throws: ConfigError(file: "/no/such/file.json", message: "no such file")) { try ConfigFile.load("/no/such/file.json") }
        let directory = FileManager.default.temporaryDirectory.path
        #expect(throws: ConfigError(file: directory, message: "is a directory, not a JSON file")) { try ConfigFile.load(directory) }
        let empty = try temporaryFile([])
        do { _ = try ConfigFile.load(empty); Issue.record("no error") } catch {
            #expect(error.file == empty)
            #expect(error.message.contains("the file is empty"))
        }
        let latin1 = try temporaryFile([0x7B, 0x22, 0xE9, 0x22, 0x3A, 0x31, 0x7D])
        #expect(throws: ConfigError(file: latin1, message: "is not UTF-8 text; a JSON config must be UTF-8")) { try ConfigFile.load(latin1) }
    }

    @Test("a good file parses")
    func goodFile() throws {
        let path = try temporaryFile(Array("{\"training\": {\"num_epochs\": 3}}".utf8))
        #expect(try ConfigFile.load(path)["training"]?["num_epochs"] == .number(3))
    }

    @Test("a config over 16 MiB is refused before it is read (a 400 MB file with one giant key took 16 bytes per byte)")
    func tooLarge() throws {
        let path = try temporaryFile(Array("{\"".utf8))
        // A sparse 400 MB file: its size is known without writing it.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 400_000_000)
        try handle.close()
        #expect(throws: ConfigError(file: path, message: "is 400000000 bytes; a JSON config may be at most 16777216 bytes (16 MiB): is this the right file?")) { try ConfigFile.load(path) }
        try FileManager.default.removeItem(atPath: path)
    }
}
