import Data
import Foundation
import JSONConfig
import RunLog

/// A per-class or per-group run: one generator per class or group of classes, each a complete run folder
/// (config, checkpoints, metrics, TensorBoard run) under `generators/<name>/`, trained one after another under
/// the same schedules. The set's folder holds the whole config, a summary that puts the generators side by
/// side, and a report overlaying them. Resuming skips finished generators and continues the one that was
/// stopped; sampling a class goes to the generator that holds it.
public final class GeneratorSet {
    /// One generator: its name (`class_3`, or the group's), its classes and its folder.
    public struct Member: Sendable {
        public var name: String
        public var classes: [Int]
        public var directory: String
    }

    public let directory: String
    public let configuration: RunConfiguration
    public let members: [Member]
    public let threads: Int
    let lock: RunFolderLock
    var acceptChanges = false

    init(directory: String, configuration: RunConfiguration, members: [Member], threads: Int, lock: RunFolderLock) {
        self.directory = directory
        self.configuration = configuration
        self.members = members
        self.threads = threads
        self.lock = lock
    }

    /// Whether the run folder at `directory` is a generator set (its config has a granularity other than unified).
    public static func holdsSet(_ directory: String) -> Bool {
        guard let configuration = try? RunConfiguration.load(file: directory + "/config.json") else { return false }
        return configuration.granularity != .unified
    }

    /// The members of `configuration` for `dataset`: one per class present, or one per group (each class must be present).
    static func memberList(_ configuration: RunConfiguration, dataset: Dataset, directory: String) throws(TrainingError) -> [Member] {
        guard let labels = dataset.labels else {
            throw TrainingError("model.granularity \(configuration.granularity.name) trains one generator per \(configuration.granularity == .perClass ? "class" : "group of classes"), but \(dataset.name) has no labels (give data.labels_path, or label_column for CSV)")
        }
        let present = Set(labels.map(Int.init))
        switch configuration.granularity {
        case .unified:
            return []
        case .perClass:
            return present.sorted().map { Member(name: "class_\($0)", classes: [$0], directory: directory + "/generators/class_\($0)") }
        case .perGroup(let groups):
            for group in groups {
                if let missing = group.classes.first(where: { !present.contains($0) }) {
                    throw TrainingError("model.groups.\(group.name): class \(missing) has no example in \(dataset.name) (its labels are \(present.sorted().map(String.init).joined(separator: ", ")))")
                }
            }
            return groups.map { Member(name: $0.name, classes: $0.classes, directory: directory + "/generators/\($0.name)") }
        }
    }

    /// The config of one member: the set's, for its classes only, as one generator.
    func memberConfiguration(_ member: Member) -> RunConfiguration {
        Self.memberConfiguration(configuration, member: member, setName: URL(fileURLWithPath: directory).lastPathComponent)
    }

    static func memberConfiguration(_ configuration: RunConfiguration, member: Member, setName: String) -> RunConfiguration {
        var single = configuration
        single.granularity = .unified
        single.dataClasses = member.classes
        single.description = "generator \(member.name) (classes \(member.classes.map(String.init).joined(separator: ", "))) of \(setName)"
        return single
    }

    /// The generators a per-class or per-group `configuration` trains on its data, each with its own config
    /// (the set's, for its classes only), for tools that show one generator's schedule (`anneal schedule`):
    /// every member runs the same schedules over its own steps.
    public static func memberConfigurations(of configuration: RunConfiguration) throws(TrainingError) -> [(name: String, configuration: RunConfiguration)] {
        let members = try memberList(configuration, dataset: try TrainingRun.load(configuration), directory: "")
        return members.map { ($0.name, memberConfiguration(configuration, member: $0, setName: "the set")) }
    }

    /// A new set in `directory`: locks it, writes the whole config, and checks every member's data.
    public static func start(_ configuration: RunConfiguration, in directory: String, threads: Int = 1) throws(TrainingError) -> GeneratorSet {
        let dataset = try TrainingRun.load(configuration)
        do { try AtomicFile.createDirectory(directory) } catch { throw TrainingError(error.description) }
        let lock = try RunFolderLock(directory: directory)
        if FileManager.default.fileExists(atPath: directory + "/config.json") {
            throw TrainingError("\(directory) already holds a run; continue it with --resume \(directory), or choose another --out")
        }
        let members = try Self.memberList(configuration, dataset: dataset, directory: directory)
        do { try AtomicFile.write(JSONWriter.pretty(configuration.json), to: directory + "/config.json") } catch { throw TrainingError(error.description) }
        return GeneratorSet(directory: directory, configuration: configuration, members: members, threads: threads, lock: lock)
    }

    /// The set in `directory`, to continue: finished generators are kept, the others resumed or started.
    public static func resume(_ directory: String, epochs: Int? = nil, threads: Int = 1, acceptChanges: Bool = false) throws(TrainingError) -> GeneratorSet {
        let lock = try RunFolderLock(directory: directory)
        let configuration: RunConfiguration
        do { configuration = try RunConfiguration.load(file: directory + "/config.json", epochs: epochs) } catch { throw TrainingError(error.description) }
        let members = try Self.memberList(configuration, dataset: try TrainingRun.load(configuration), directory: directory)
        if epochs != nil {
            do { try AtomicFile.write(JSONWriter.pretty(configuration.json), to: directory + "/config.json") } catch { throw TrainingError(error.description) }
        }
        let set = GeneratorSet(directory: directory, configuration: configuration, members: members, threads: threads, lock: lock)
        set.acceptChanges = acceptChanges
        return set
    }

    /// Whether a member has finished (completed, or stopped early by its early-stopping rule).
    public func isFinished(_ member: Member) -> Bool { status(member) == "completed" || status(member) == "stopped_early" }

    /// The status of a member's folder: `completed`, another status from its summary, or nil before it starts.
    public func status(_ member: Member) -> String? {
        guard let text = try? String(contentsOfFile: member.directory + "/summary.json", encoding: .utf8),
              case .string(let status)? = (try? JSONParser.parse(text))?["status"]?.kind else { return nil }
        return status
    }

    /// Trains every member not finished yet, in order; `observers(member, run)` gives each member's observers
    /// (a progress bar), `started(member, run)` is told before each. Stops at the first member that does not
    /// complete (interrupted, diverged), so a resume continues there.
    public func run(observers: (Member, TrainingRun) -> [TrainingObserver] = { _, _ in [] }, started: (Member, TrainingRun) -> Void = { _, _ in },
                    finished: (Member, TrainingRun, TrainingSummary) -> Void = { _, _, _ in },
                    shouldStop: () -> Bool = { false }) throws(TrainingError) -> Trainer.Outcome {
        defer { lock.release() }
        var outcome = Trainer.Outcome.completed
        for member in members {
            if isFinished(member) { continue }
            if shouldStop() { outcome = .interrupted; break }
            let run: TrainingRun
            if FileManager.default.fileExists(atPath: member.directory + "/checkpoints/last.ckpt") {
                run = try TrainingRun.resume(member.directory, epochs: configuration.training.numEpochs, threads: threads, acceptChanges: acceptChanges)
            } else {
                // A member that never saved a checkpoint has nothing to resume: start it afresh.
                if FileManager.default.fileExists(atPath: member.directory) { try? FileManager.default.removeItem(atPath: member.directory) }
                run = try TrainingRun.start(memberConfiguration(member), in: member.directory, threads: threads)
            }
            started(member, run)
            let result = try run.run(observers: observers(member, run), shouldStop: shouldStop)
            finished(member, run, result.summary)
            switch result.outcome {
            case .completed, .stoppedEarly: continue
            default:
                outcome = result.outcome
            }
            break
        }
        writeSummary(outcome: outcome)
        return outcome
    }

    /// summary.json of the set: each generator's status and final numbers side by side.
    func writeSummary(outcome: Trainer.Outcome) {
        var rows: [JSONValue] = []
        for member in members {
            var members: [(String, JSONValue)] = [("name", .string(member.name)), ("classes", .array(member.classes.map { .number($0) })),
                                                  ("folder", .string("generators/\(member.name)"))]
            if let text = try? String(contentsOfFile: member.directory + "/summary.json", encoding: .utf8), let summary = try? JSONParser.parse(text) {
                for key in ["status", "epochs", "best_validation_elbo", "best_epoch", "seconds"] { members.append((key, summary[key] ?? .null)) }
                if let final = summary["final"] {
                    for key in ["validation_elbo", "kl", "active_units"] { members.append((key, final[key] ?? .null)) }
                }
            } else {
                members.append(("status", .string("not started")))
            }
            rows.append(.object(members))
        }
        let finished = members.filter { self.status($0) == "completed" || self.status($0) == "stopped_early" }.count
        let setStatus = finished == members.count ? "completed" : outcome == .completed ? "interrupted" : outcome.status
        let summary = JSONValue.object([
            ("status", .string(setStatus)), ("granularity", .string(configuration.granularity.name)),
            ("generators_finished", .number(finished)), ("generators", .number(members.count)), ("members", .array(rows)),
        ])
        try? AtomicFile.write(JSONWriter.pretty(summary), to: directory + "/summary.json")
        if let report = try? RunReport(directories: members.filter { FileManager.default.fileExists(atPath: $0.directory + "/metrics.jsonl") }.map(\.directory)) {
            try? AtomicFile.write(report.html, to: directory + "/report.html")
        }
    }

    /// The member that holds class `label`.
    public func member(forClass label: Int) -> Member? { members.first { $0.classes.contains(label) } }

    /// The generators of the set in `directory` (for sampling and evaluation), without locking it.
    /// The set's members as its folder records them (each generator's config names its classes), so a set copied
    /// without its data can still be sampled and exported; a set with no generator folder yet reads its data.
    public static func members(ofSet directory: String) throws(TrainingError) -> [Member] {
        let configuration: RunConfiguration
        do { configuration = try RunConfiguration.load(file: directory + "/config.json") } catch { throw TrainingError(error.description) }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory + "/generators")) ?? []).filter {
            FileManager.default.fileExists(atPath: directory + "/generators/" + $0 + "/config.json")
        }
        var recorded: [Member] = []
        for name in names {
            guard let member = try? RunConfiguration.load(file: directory + "/generators/" + name + "/config.json"), let classes = member.dataClasses else { continue }
            recorded.append(Member(name: name, classes: classes, directory: directory + "/generators/" + name))
        }
        if !recorded.isEmpty {
            if case .perGroup(let groups) = configuration.granularity {
                return groups.compactMap { group in recorded.first { $0.name == group.name } }
            }
            return recorded.sorted { ($0.classes.first ?? 0) < ($1.classes.first ?? 0) }
        }
        let located = try configuration.locatingData(near: directory)
        return try memberList(configuration, dataset: try TrainingRun.load(located.configuration), directory: directory)
    }
}
