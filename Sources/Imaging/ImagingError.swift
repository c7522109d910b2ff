/// Why an image could not be made, written or read, naming the file when there is one:
/// `cannot write /no/such/dir/grid.png: the directory /no/such/dir does not exist`.
public struct ImagingError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file involved, if any.
    public var path: String?
    /// What went wrong.
    public var message: String

    public init(path: String? = nil, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.map { "\($0): \(message)" } ?? message }
}
