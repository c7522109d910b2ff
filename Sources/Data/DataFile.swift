import Foundation

/// Opening data files with errors that say which file and why.
enum DataFile {
    /// The file's bytes, memory-mapped.
    static func map(_ path: String) throws(DataError) -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw DataError(file: path, FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file")
        }
    }
}
