/// The path of a value inside a configuration, rendered the way users write it:
/// `training.beta_scheduler_params.schedules[1].cycle_length`.
public struct ConfigKeyPath: Hashable, Sendable, CustomStringConvertible {
    /// One step of a path: an object key or an array index.
    public enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    public var components: [Component]

    public init(_ components: [Component] = []) {
        self.components = components
    }

    /// The root of a document (renders as an empty string).
    public static let root = ConfigKeyPath()

    public func appending(_ key: String) -> ConfigKeyPath {
        ConfigKeyPath(components + [.key(key)])
    }

    public func appending(index: Int) -> ConfigKeyPath {
        ConfigKeyPath(components + [.index(index)])
    }

    public var isRoot: Bool { components.isEmpty }

    /// The last key of the path, if the path ends in a key.
    public var lastKey: String? {
        if case .key(let key)? = components.last { return key }
        return nil
    }

    public var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key):
                if !text.isEmpty { text += "." }
                text += MessageText.bare(key)
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }
}
