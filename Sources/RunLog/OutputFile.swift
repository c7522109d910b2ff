import Foundation

/// Where a command's `--output` goes: a path the user named, written by `AtomicFile`'s rules (only a regular
/// file is ever replaced; devices and pipes are written through; links are followed), with its missing folders
/// created, or `-`, standard output.
public enum OutputFile {
    /// The spelling of standard output.
    public static let standardOutput = "-"

    /// Writes `data` to `path` (`-`: standard output). An empty path is an error, never the current folder.
    public static func write(_ data: Data, to path: String) throws(AtomicFile.WriteError) {
        if path == standardOutput {
            try AtomicFile.writeAll(data, to: STDOUT_FILENO, named: "standard output")
            return
        }
        guard !path.isEmpty else { throw AtomicFile.WriteError(path: "\"\"", reason: "an empty path names no file") }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) {
            try AtomicFile.createDirectory(folder)
        }
        try AtomicFile.write(data, to: path)
    }

    public static func write(_ text: String, to path: String) throws(AtomicFile.WriteError) {
        try write(Data(text.utf8), to: path)
    }

    /// Whether `path` names standard output.
    public static func isStandardOutput(_ path: String) -> Bool { path == standardOutput }
}
