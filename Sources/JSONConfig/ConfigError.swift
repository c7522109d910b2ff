/// A problem with a configuration or data file, reported the way compilers report problems:
/// `file:line:column: key.path: what is wrong, got VALUE; what is allowed`.
///
/// Every error names the file (when there is one), the key path (when the problem is at a key) and,
/// where the parser knows it, the line and column of the offending value.
public struct ConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file as the user named it, or nil for configurations built in memory.
    public var file: String?
    public var position: SourcePosition?
    public var keyPath: ConfigKeyPath?
    public var message: String

    public init(file: String? = nil, position: SourcePosition? = nil, keyPath: ConfigKeyPath? = nil, message: String) {
        self.file = file
        self.position = position
        self.keyPath = keyPath
        self.message = message
    }

    public var description: String {
        var location = ""
        if let file {
            location = file
            if let position { location += ":\(position.line):\(position.column)" }
        } else if let position {
            location = "line \(position.line), column \(position.column)"
        }
        var text = location.isEmpty ? "" : location + ": "
        if let keyPath, !keyPath.isRoot { text += "\(keyPath): " }
        return text + message
    }

    /// The same error attributed to a file (used when an in-memory parse is later tied to its file).
    public func inFile(_ file: String?) -> ConfigError {
        var copy = self
        if copy.file == nil { copy.file = file }
        return copy
    }
}
