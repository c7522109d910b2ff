import Foundation

/// A child process started with `posix_spawn`, for what Foundation's `Process` cannot do: write the child's
/// output straight to a file, hand it one chosen descriptor (a trial's claim lock, as descriptor 3), and put
/// it in a process group of its own.
public final class ChildProcess {
    /// How a child ended.
    public enum Termination: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)
    }

    public let pid: pid_t
    public private(set) var termination: Termination?

    init(pid: pid_t) {
        self.pid = pid
    }

    /// Starts `executable` with `arguments` (not including the program name). Standard output and error go
    /// to `outputPath` (appended to; created if missing), or are inherited when it is nil. `inheriting` is
    /// duplicated to descriptor 3 in the child (all other descriptors opened close-on-exec stay closed).
    /// `newProcessGroup` puts the child in a group of its own (its id is the child's pid), so a signal to the
    /// group reaches it and everything it starts.
    public static func spawn(executable: String, arguments: [String], outputPath: String? = nil, inheriting descriptor: Int32? = nil,
                             newProcessGroup: Bool = false, environment: [String: String]? = nil) throws(SweepError) -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        if let outputPath {
            posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        if let descriptor { posix_spawn_file_actions_adddup2(&actions, descriptor, 3) }

        // The child starts with the default action for the signals the parent catches, and none blocked.
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        if newProcessGroup {
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let environmentPairs = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let envp = environmentPairs.map { strdup($0) } + [nil]
        defer { for pointer in envp { free(pointer) } }

        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard status == 0 else {
            throw SweepError("cannot start \(executable): \(String(cString: strerror(status)))")
        }
        return ChildProcess(pid: pid)
    }

    /// The termination, if the child has ended (reaps it without waiting).
    public func poll() -> Termination? {
        if let termination { return termination }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        guard result == pid else {
            if result < 0 && errno == ECHILD { termination = .exited(-1) }
            return termination
        }
        termination = Self.decode(status)
        return termination
    }

    /// Waits for the child to end.
    @discardableResult
    public func wait() -> Termination {
        if let termination { return termination }
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, 0)
            if result == pid { break }
            if result < 0 && errno != EINTR { termination = .exited(-1); return .exited(-1) }
        }
        let decoded = Self.decode(status)
        termination = decoded
        return decoded
    }

    /// Sends `signal` to the child (or to its process group).
    public func send(_ signal: Int32, toGroup: Bool = false) {
        guard termination == nil else { return }
        _ = kill(toGroup ? -pid : pid, signal)
    }

    static func decode(_ status: Int32) -> Termination {
        // The wait-status macros, written out: low 7 bits the signal (0 for a normal exit), next 8 the code.
        let signal = status & 0x7f
        if signal == 0 { return .exited((status >> 8) & 0xff) }
        return .signalled(signal)
    }

    /// The running program's own executable (`/proc/self/exe` on Linux, else the first argument resolved
    /// against the working directory and PATH). `ANNEAL_EXECUTABLE` overrides it.
    public static func currentExecutable() -> String? {
        if let override = ProcessInfo.processInfo.environment["ANNEAL_EXECUTABLE"], !override.isEmpty { return override }
        #if os(Linux)
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return resolved }
        #endif
        if let path = Bundle.main.executablePath { return path }
        let first = CommandLine.arguments.first ?? "anneal"
        if first.contains("/") { return URL(fileURLWithPath: first).standardizedFileURL.path }
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(directory)/\(first)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
