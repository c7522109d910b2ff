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

    @Test("a character device is written through and stays a device (/dev/null takes the bytes, /dev/full says the disk is full); it is never replaced by a regular file",
          .enabled(if: getuid() == 0, "making device files needs root"))
    func characterDevices() throws {
        for (minor, failure) in [(3, nil), (7, "No space left on device")] as [(UInt32, String?)] {
            let path = directory.appendingPathComponent("device-\(minor).html").path
            #expect(mknod(path, S_IFCHR | 0o666, dev_t(1 << 8 | minor)) == 0)  // glibc's makedev(1, minor)
            if let failure {
                #expect { try AtomicFile.write("<html>", to: path) } throws: { error in
                    (error as? AtomicFile.WriteError)?.description == "cannot write \(path): \(failure)"
                }
            } else {
                try AtomicFile.write("<html>", to: path)
            }
            var info = stat()
            #expect(lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFCHR, "the device became another kind of file")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["device-3.html", "device-7.html"])
    }

    @Test("a named pipe is written through in place: the reader gets the bytes and the pipe stays a pipe")
    func namedPipe() throws {
        let path = directory.appendingPathComponent("pipe").path
        #expect(mkfifo(path, 0o644) == 0)
        let received = ReceivedBytes()
        let reader = Thread {
            let descriptor = open(path, O_RDONLY)
            var bytes: [UInt8] = [], buffer = [UInt8](repeating: 0, count: 256)
            while descriptor >= 0 {
                let count = read(descriptor, &buffer, buffer.count)
                if count <= 0 { break }
                bytes += buffer[0..<count]
            }
            close(descriptor)
            received.value = Data(bytes)
        }
        reader.start()
        try AtomicFile.write("through the pipe\n", to: path)
        let deadline = Date().addingTimeInterval(10)
        while received.value == nil && Date() < deadline { usleep(1000) }
        #expect(received.value.map { String(decoding: $0, as: UTF8.self) } == "through the pipe\n")
        var info = stat()
        #expect(lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
    }

    final class ReceivedBytes: @unchecked Sendable { var value: Data? }

    @Test("a symbolic link is followed (through a chain): its target is replaced and the link stays; a link to nowhere or to a folder is refused")
    func symbolicLinks() throws {
        let target = directory.appendingPathComponent("real.csv").path
        try AtomicFile.write("old\n", to: target)
        let link = directory.appendingPathComponent("link.csv").path
        let chain = directory.appendingPathComponent("chain.csv").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real.csv")  // relative, as ln -s makes them
        try FileManager.default.createSymbolicLink(atPath: chain, withDestinationPath: link)
        try AtomicFile.write("new\n", to: chain)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "new\n")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "real.csv")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: chain) == link)
        let dangling = directory.appendingPathComponent("dangling.csv").path
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: directory.appendingPathComponent("gone.csv").path)
        #expect { try AtomicFile.write("x", to: dangling) } throws: { error in
            (error as? AtomicFile.WriteError)?.description.contains("is a symbolic link to \(self.directory.path)/gone.csv, which does not exist") == true
        }
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("gone.csv").path))
        let toFolder = directory.appendingPathComponent("folder-link").path
        try FileManager.default.createSymbolicLink(atPath: toFolder, withDestinationPath: "/tmp")
        #expect { try AtomicFile.write("x", to: toFolder) } throws: { error in
            (error as? AtomicFile.WriteError)?.description == "cannot write \(toFolder): it is a symbolic link to the directory /tmp"
        }
        let loop = directory.appendingPathComponent("loop").path
        try FileManager.default.createSymbolicLink(atPath: loop, withDestinationPath: "loop")
        #expect { try AtomicFile.write("x", to: loop) } throws: { error in
            (error as? AtomicFile.WriteError)?.description == "cannot write \(loop): too many levels of symbolic links"
        }
    }

    @Test("OutputFile: - is standard output, missing folders are created, an empty path is refused")
    func outputFile() throws {
        let path = directory.appendingPathComponent("a/b/report.html").path
        try OutputFile.write("<p>", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "<p>")
        #expect { try OutputFile.write("x", to: "") } throws: { error in
            (error as? AtomicFile.WriteError)?.description == "cannot write \"\": an empty path names no file"
        }
        #expect(OutputFile.isStandardOutput("-") && !OutputFile.isStandardOutput("./-"))
    }
}
