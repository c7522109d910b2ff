import Foundation

/// Collects, while it is installed (`ConfigKeyRecorder.$current.withValue(recorder) { … }`), every key each
/// config object was asked for when it finished reading, by the object's context ("data section", "cyclical
/// schedule"): the keys the parsers accept. The config reference in the README is checked against it, so a key
/// the parsers read cannot be missing from the documentation, nor a documented key be one they do not read.
public final class ConfigKeyRecorder: @unchecked Sendable {
    /// The recorder of the current task, if any.
    @TaskLocal public static var current: ConfigKeyRecorder?

    private let lock = NSLock()
    private var keys: [String: Set<String>] = [:]

    public init() {}

    func record(context: String, keys asked: [String]) {
        lock.lock()
        defer { lock.unlock() }
        keys[context, default: []].formUnion(asked)
    }

    /// The keys asked for, by context.
    public var recorded: [String: Set<String>] {
        lock.lock()
        defer { lock.unlock() }
        return keys
    }
}
