import Foundation
import Testing
@testable import RunLog

@Suite("AtomicFile")
struct AtomicFileTests {
    let directory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("anneal-atomic-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    @Test("writes the whole file and leaves no temporary file behind")
    func writes() throws {
        let path = directory.appendingPathComponent("out.csv").path
        try AtomicFile.write("a,b\n1,2\n", to: path)
        try AtomicFile.write("replaced\n", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "replaced\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["out.csv"])
    }

    @Test("a missing directory or a directory in the way is an error naming the path, and nothing is written")
    func errors() throws {
        let missing = directory.appendingPathComponent("no/such/dir/out.svg").path
        #expect { try AtomicFile.write("x", to: missing) } throws: { error in
            (error as? AtomicFile.WriteError)?.description.hasPrefix("cannot write \(missing): the directory") == true
        }
        let sub = directory.appendingPathComponent("sub")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        #expect(throws: AtomicFile.WriteError.self) { try AtomicFile.write("x", to: sub.path) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: sub.path).isEmpty)
        // A file where a folder should be is named as such (it was reported as a folder that "does not exist").
        let file = directory.appendingPathComponent("afile")
        try AtomicFile.write("x", to: file.path)
        #expect { try AtomicFile.write("x", to: file.path + "/out.csv") } throws: { error in
            (error as? AtomicFile.WriteError)?.description == "cannot write \(file.path)/out.csv: \(file.path) is a file, not a folder"
        }
        #expect { try AtomicFile.createDirectory(file.path + "/run") } throws: { error in
            (error as? AtomicFile.WriteError)?.description.contains("\(file.path) is a file, not a folder") == true
        }
    }

    @Test("a write that fails gives the system's reason in words (a full disk: No space left on device), and leaves no temporary file",
          .enabled(if: FileManager.default.fileExists(atPath: "/dev/full")))
    func fullDisk() throws {
        // The temporary file's name is known (.<name>.<pid>.tmp): a link there to /dev/full makes the write fail
        // as on a full disk. Foundation reports it as a Cocoa error whose POSIX cause, on Linux, is a Swift
        // POSIXError, not an NSError; the reason was "The operation could not be completed. There isn’t enough space."
        let path = directory.appendingPathComponent("last.ckpt").path
        let temporary = directory.appendingPathComponent(".last.ckpt.\(getpid()).tmp").path
        try FileManager.default.createSymbolicLink(atPath: temporary, withDestinationPath: "/dev/full")
        #expect { try AtomicFile.write(Data(count: 100_000), to: path) } throws: { error in
            (error as? AtomicFile.WriteError)?.description == "cannot write \(path): No space left on device"
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test("a parent that refuses new folders is named with the system's reason", .enabled(if: FileManager.default.fileExists(atPath: "/proc/self")))
    func refusingParent() {
        #expect { try AtomicFile.createDirectory("/proc/anneal-run") } throws: { error in
            (error as? AtomicFile.WriteError)?.description.hasPrefix("cannot write /proc/anneal-run: /proc does not accept new folders (") == true
        }
    }

    @Test("files and their folder are flushed with fsync: a file and a folder sync, a missing path is its errno")
    func synchronize() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("anneal-sync-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try AtomicFile.write("x", to: folder + "/a.txt")
        #expect(AtomicFile.synchronize(folder + "/a.txt") == nil && AtomicFile.synchronize(folder) == nil)
        #expect(AtomicFile.synchronize(folder + "/missing") == ENOENT)
        #expect(try String(contentsOfFile: folder + "/a.txt", encoding: .utf8) == "x")
    }
}
