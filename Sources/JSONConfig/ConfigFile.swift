import Foundation

/// Loading a JSON configuration file with errors a person can act on.
public enum ConfigFile {
    /// Reads and parses `path`. A missing, unreadable, empty, non-UTF-8 or malformed file is a `ConfigError`
    /// naming the file (and, for syntax errors, the line and column).
    public static func load(_ path: String) throws(ConfigError) -> JSONValue {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConfigError(file: path, message: "no such file")
        }
        guard !isDirectory.boolValue else {
            throw ConfigError(file: path, message: "is a directory, not a JSON file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, message: "cannot be read (check its permissions)")
        }
        let bytes = [UInt8](data)
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw ConfigError(file: path, message: "is not UTF-8 text; a JSON config must be UTF-8")
        }
        return try JSONParser.parse(bytes: bytes, file: path)
    }
}
