/// A problem with a comparison or sweep, in one line that names the flag, file, key path or trial and says
/// what is allowed.
public struct SweepError: Error, CustomStringConvertible, Sendable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
