import ArgumentParser

/// The output formats of `anneal schedule`.
enum ScheduleOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case csv
    case json
    case svg

    /// The format a file name asks for by its extension (`.csv`, `.json`, `.svg`, `.txt`), or nil.
    init?(pathExtensionOf path: String) {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "csv": self = .csv
        case "json": self = .json
        case "svg": self = .svg
        case "txt": self = .table
        default: return nil
        }
    }
}
