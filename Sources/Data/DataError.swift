/// A problem with a data file or a data set, naming the file and what is wrong.
public struct DataError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String?
    public var message: String

    public init(file: String? = nil, _ message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { (file.map { "\($0): " } ?? "") + message }
}
