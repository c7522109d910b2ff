import Foundation

/// Loading a JSON configuration file with errors a person can act on.
public enum ConfigFile {
    /// The largest config file read: 16 MiB, far beyond any run config or sweep plan.
    public static let maximumBytes: Int64 = 16 << 20

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
        // Parsed whole, with positions, at about 16 bytes of memory per byte of text: a config over the limit is
        // refused before it is read (a 400 MB file would take 6 GB).
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber, size.int64Value > maximumBytes {
            throw ConfigError(file: path, message: "is \(size.int64Value) bytes; a JSON config may be at most \(maximumBytes) bytes (16 MiB): is this the right file?")
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
