import Foundation

/// How much memory one request may take before anything is allocated: half of the machine's physical memory,
/// leaving the rest to the system and the program. A request over it is refused with its size in words, so a
/// flag such as `--samples 100000000` (24 GB) is a one-line error, never an allocation that fails or swaps.
public enum MemoryBudget {
    /// The machine's physical memory, in bytes.
    public static var physicalMemory: Double { Double(ProcessInfo.processInfo.physicalMemory) }

    /// The most one request may take, in bytes.
    public static var limit: Double { physicalMemory / 2 }

    /// `1.23 GB`, `456 MB`.
    public static func size(_ bytes: Double) -> String {
        bytes >= 1e9 ? String(format: "%.3g GB", bytes / 1e9) : String(format: "%.3g MB", bytes / 1e6)
    }

    /// Nil when `bytes` fits; otherwise "<what> would need 24 GB, more than half of this machine's 25.2 GB of memory".
    public static func problem(bytes: Double, what: String) -> String? {
        guard !(bytes <= limit) else { return nil }
        return "\(what) would need \(bytes.isFinite ? size(bytes) : "more memory than can be counted"), more than half of this machine's \(size(physicalMemory)) of memory"
    }
}
