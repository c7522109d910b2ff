/// A problem with a comparison or sweep, in one line that names the flag, file, key path or trial and says
/// what is allowed.
public struct SweepError: Error, CustomStringConvertible, Sendable {
    public var message: String
    /// Whether a command-line flag or its value is at fault (exit status 64, as for every bad flag), rather than
    /// a file, a folder or a trial (exit status 1).
    public var isUsage: Bool

    public init(_ message: String, isUsage: Bool = false) {
        self.message = message
        self.isUsage = isUsage
    }

    /// An error in a flag or its value.
    public static func usage(_ message: String) -> SweepError {
        SweepError(message, isUsage: true)
    }

    public var description: String { message }
}
