import Foundation
import JSONConfig
import Schedules
import Training

/// One entry of `--schedules`: a built-in schedule by name, a config file, or the base config's own β.
///
/// A file is a bare schedule (`{"beta_scheduler_type": …, "beta_scheduler_params": …}`, as `anneal schedule`
/// reads it) or a full run config; either way only its β keys (`betaKeys`) are taken, from the top level or
/// its `training` section, and they replace every β key of the base config. The base decides everything else
/// (data, model, run length, learning rate): a file's other training keys are listed in `ignoredKeys` so the
/// command can say they were not used.
public struct ScheduleChoice: Sendable {
    public enum Source: Sendable {
        case builtIn(BuiltInSchedule)
        case file(path: String, members: [JSONMember])
        case base
    }

    /// The training keys that make up a β schedule, including what replaces or drives it (a KL shaping such as
    /// `capacity` or `free_bits`, feedback `controllers`, a `phases` plan).
    public static let betaKeys = [
        "beta_scheduler_type", "beta_scheduler_params", "hierarchical_beta_config", "beta_granularity",
        "capacity", "free_bits", "controllers", "phases",
    ]

    /// The name in tables and folder names: the built-in name, the file's name without `.json`, or `base`.
    public var label: String
    public var source: Source
    /// Training keys of a file that are not β keys and were left out.
    public var ignoredKeys: [String]

    /// The base config's own β schedule.
    public static let base = ScheduleChoice(label: "base", source: .base, ignoredKeys: [])

    /// Reads one `--schedules` entry: a built-in name, or a file (anything with a `/` or ending in `.json`, or
    /// an existing file). `numEpochs` is the run length the file is checked against.
    public static func read(_ argument: String, numEpochs: Int) throws(SweepError) -> ScheduleChoice {
        let isFile = argument.contains("/") || argument.hasSuffix(".json") || FileManager.default.fileExists(atPath: argument)
        if !isFile {
            guard let builtIn = BuiltInSchedule.named(argument) else {
                let suggestion = NearestName.suggestion(for: argument, among: BuiltInSchedule.names)
                throw SweepError.usage("--schedules: unknown schedule \(MessageText.quoted(argument))\(suggestion.map { " (did you mean '\($0)'?)" } ?? ""); give one of \(BuiltInSchedule.names.joined(separator: ", ")), or a schedule or run config file (.json)")
            }
            return ScheduleChoice(label: builtIn.name, source: .builtIn(builtIn), ignoredKeys: [])
        }
        let document: JSONValue
        do {
            document = try ConfigFile.load(argument)
            // The file must read as a schedule on its own, with the errors `anneal schedule` gives.
            _ = try ScheduleConfiguration.parse(document, file: argument, numEpochs: numEpochs, otherTrainingKeys: RunConfiguration.trainingKeys)
        } catch {
            throw SweepError("--schedules: \(error.description)")
        }
        guard let root = document.members else { throw SweepError("--schedules: \(argument): not a JSON object") }
        let training = document["training"]?.members ?? root
        let taken = training.filter { betaKeys.contains($0.key) }
        if taken.isEmpty {
            throw SweepError("--schedules: \(argument) has no β schedule: none of \(betaKeys.joined(separator: ", ")) \(document["training"] == nil ? "at its top level" : "in its training section")")
        }
        let ignored = training.map(\.key).filter { !betaKeys.contains($0) && !["description", "data", "model", "logging"].contains($0) }
        var label = URL(fileURLWithPath: argument).deletingPathExtension().lastPathComponent
        if label.hasSuffix("_config") { label = String(label.dropLast("_config".count)) }
        return ScheduleChoice(label: label, source: .file(path: argument, members: taken), ignoredKeys: ignored)
    }

    /// The β members for a run of `numEpochs` epochs (nil for the base's own schedule).
    public func members(numEpochs: Int) -> [JSONMember]? {
        switch source {
        case .builtIn(let schedule): return schedule.members(numEpochs).map { JSONMember(key: $0.0, value: $0.1) }
        case .file(_, let members): return members.map { JSONMember(key: $0.key, value: SweepAxis.withoutPositions($0.value)) }
        case .base: return nil
        }
    }

    /// The file the schedule came from, if any.
    public var file: String? {
        if case .file(let path, _) = source { return path }
        return nil
    }
}
