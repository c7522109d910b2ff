/// A failure to report as `Error: <message>` with exit status 1, without a stack trace.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
