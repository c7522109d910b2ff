import Foundation

/// Writing to standard output without `print`'s buffering surprises when output is piped.
enum StandardOutput {
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// Warnings and progress notes go to standard error, so standard output stays machine-readable.
enum StandardError {
    static func print(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
