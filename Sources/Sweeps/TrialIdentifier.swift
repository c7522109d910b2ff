import Foundation
import JSONConfig

/// A trial's id: the first 16 hexadecimal digits (64 bits) of the SHA-256 of its canonical config,
///
///     id = hex(SHA-256(UTF-8(compact JSON of the resolved run config, without "description",
///                            every data path (`data.path`, `data.*_path`) relative to the base config's folder))).prefix(16)
///
/// The resolved config is what `anneal train` writes to a run's `config.json` (every default filled in, keys
/// in anneal's order, numbers in their shortest exact spelling, `training.seed` included), so two ways of
/// writing the same run (`1e-3` and `0.001`, a default given or left out) get the same id, and any change
/// that alters the run (a value, the seed, the data file) gives another. The compact JSON has no spaces and
/// escapes only what RFC 8259 requires. Data paths are taken relative to the base config's folder, so the
/// same sweep gets the same ids on machines that mount it in different places; the description is left
/// out because it does not change the run. An anneal version that resolves configs differently (a new
/// default key) gives new ids: finished trials of the older version are then not recognised.
public enum TrialIdentifier {
    /// Digits of the id.
    public static let length = 16

    /// The canonical text that is hashed.
    public static func canonicalText(_ resolved: JSONValue, baseDirectory: String) -> String {
        var document = resolved
        if case .object(var members) = document.kind {
            members.removeAll { $0.key == "description" }
            if let dataIndex = members.firstIndex(where: { $0.key == "data" }), case .object(var data) = members[dataIndex].value.kind {
                // Every file the data section names (`path`, `labels_path`, `validation_path`, `test_path`,
                // `difficulty_path`, …): a key ending in `path`.
                for index in data.indices where data[index].key == "path" || data[index].key.hasSuffix("_path") {
                    if case .string(let path) = data[index].value.kind {
                        data[index].value = .string(relativePath(path, from: baseDirectory))
                    }
                }
                members[dataIndex].value = JSONValue(.object(data))
            }
            document = JSONValue(.object(members))
        }
        return JSONWriter.compact(document)
    }

    /// The id of the resolved config `resolved`.
    public static func identifier(_ resolved: JSONValue, baseDirectory: String) -> String {
        String(SHA256Digest.hexadecimal(Array(canonicalText(resolved, baseDirectory: baseDirectory).utf8)).prefix(length))
    }

    /// `path` relative to `directory` (`../data/x.npy`), both made absolute and standardised first.
    public static func relativePath(_ path: String, from directory: String) -> String {
        let target = URL(fileURLWithPath: path).standardizedFileURL.pathComponents
        let base = URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL.pathComponents
        var common = 0
        while common < target.count && common < base.count && target[common] == base[common] { common += 1 }
        let components = Array(repeating: "..", count: base.count - common) + target[common...]
        return components.isEmpty ? "." : components.joined(separator: "/")
    }
}
