import Foundation
import RunLog
import Synchronization

/// Writing to standard output without `print`'s buffering surprises when output is piped.
///
/// A write that fails (output redirected to a full disk, as batch jobs do) is said once on standard error and
/// otherwise ignored: the run's record is its folder. `FileHandle.write(_:)` used to stop the program there.
enum StandardOutput {
    private static let failed = Atomic<Bool>(false)

    static func write(_ text: String) {
        do {
            try FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
        } catch {
            if !failed.exchange(true, ordering: .relaxed) {
                StandardError.print("warning: cannot write to standard output (\(AtomicFile.reason(error))); what anneal prints there is lost")
            }
        }
    }

    /// Writes a command's result (a schedule table, an evaluation): when it cannot be written, the command has
    /// failed, whatever it computed, so this is an error (exit 1), not a warning.
    static func writeResult(_ text: String) throws(CommandFailure) {
        do {
            try AtomicFile.writeAll(Data(text.utf8), to: STDOUT_FILENO, named: "standard output")
        } catch {
            throw CommandFailure("cannot write the result to standard output: \(error.reason)")
        }
    }
}

/// Warnings and progress notes go to standard error, so standard output stays machine-readable.
enum StandardError {
    static func print(_ line: String) {
        write(line + "\n")
    }

    /// Writes `text` as it is; a failure is ignored (there is nowhere left to report it).
    static func write(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
    }
}
