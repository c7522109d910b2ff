import Foundation
import JSONConfig
import Training

/// Every trial of a comparison: the base config under each schedule, crossed with every value of every
/// `--set` axis (the groups, in the order given: schedules outermost, then the axes left to right), each
/// with seeds s₀, s₀ + 1, …, s₀ + N − 1 (s₀ = the base's `training.seed`, 0 by default).
///
/// A trial's config is built from the base document: `--epochs` sets `training.num_epochs`; the schedule's β
/// keys replace every β key of the base (`ScheduleChoice.betaKeys`); the axis values are set at their key
/// paths (creating objects on the way); `training.seed` is set. It is then read by `RunConfiguration`, the
/// reader `anneal train` uses, so every error is the one training would give, with the flag or schedule that
/// caused it in front. Two trials with the same resolved config are refused, since they would be one trial.
public struct SweepPlan: Sendable {
    public var basePath: String
    public var groups: [TrialGroup]
    /// In group order, then seed order.
    public var trials: [Trial]
    public var seeds: [Int]

    public init(basePath: String, groups: [TrialGroup], trials: [Trial], seeds: [Int]) {
        self.basePath = basePath
        self.groups = groups
        self.trials = trials
        self.seeds = seeds
    }

    /// Builds the plan; `epochs` is `--epochs`.
    public static func make(basePath: String, schedules: [ScheduleChoice], axes: [SweepAxis], seedCount: Int, epochs: Int?) throws(SweepError) -> SweepPlan {
        guard seedCount >= 1 else { throw SweepError.usage("--seeds must be at least 1, got \(seedCount)") }
        let base: JSONValue
        let baseConfiguration: RunConfiguration
        do {
            base = try ConfigFile.load(basePath)
            baseConfiguration = try RunConfiguration.parse(base, file: basePath, epochs: epochs)
        } catch {
            throw SweepError(error.description)
        }
        if baseConfiguration.granularity != .unified {
            throw SweepError("\(basePath): model.granularity: anneal compare trains one model per trial; \(baseConfiguration.granularity.name) makes a set of generators (compare them with model.granularity unified, or compare sets with anneal train and anneal report)")
        }
        for (label, path) in [("data.path", baseConfiguration.data.path), ("data.labels_path", baseConfiguration.data.labelsPath)] {
            if let path, !FileManager.default.fileExists(atPath: path) {
                throw SweepError("\(basePath): \(label): no such file \(path)")
            }
        }
        var keyPaths: [String] = []
        for axis in axes {
            if keyPaths.contains(axis.keyPath) { throw SweepError.usage("--set \(axis.keyPath) is given twice; give every value in one flag: --set \(axis.keyPath)=A,B") }
            if axis.path == ["training", "seed"] { throw SweepError.usage("--set training.seed: seeds come from --seeds N (seeds s, s + 1, …, s + N − 1 from the base's training.seed)") }
            if axis.path == ["training", "num_epochs"] && epochs != nil { throw SweepError.usage("--set training.num_epochs and --epochs both set the run length; give one") }
            keyPaths.append(axis.keyPath)
        }
        var labels: [String] = []
        for schedule in schedules {
            if labels.contains(schedule.label) { throw SweepError.usage("--schedules: \(schedule.label) is given twice (as \(schedule.file ?? schedule.label))") }
            labels.append(schedule.label)
        }

        let baseDirectory = URL(fileURLWithPath: basePath).deletingLastPathComponent().path
        let firstSeed = Int(baseConfiguration.training.seed)
        let seeds = Array(firstSeed..<(firstSeed + seedCount))
        var groups: [TrialGroup] = []
        var trials: [Trial] = []
        var owners: [String: String] = [:]
        for schedule in schedules.isEmpty ? [ScheduleChoice.base] : schedules {
            for combination in Self.combinations(axes.map(\.values.count)) {
                var document = base
                if let epochs { document = try set(document, ["training", "num_epochs"], .number(epochs), flag: "--epochs") }
                for (axis, index) in zip(axes, combination) { document = try set(document, axis.path, axis.values[index], flag: "--set \(axis.keyPath)=\(axis.texts[index])") }
                if let members = schedule.members(numEpochs: Self.numEpochs(document)) {
                    document = replaceBetaKeys(document, with: members)
                    for (axis, index) in zip(axes, combination) { document = try set(document, axis.path, axis.values[index], flag: "--set \(axis.keyPath)=\(axis.texts[index])") }
                }
                let settings = zip(axes, combination).filter { $0.0.values.count > 1 }.map { TrialGroup.Setting(keyPath: $0.0.keyPath, value: $0.0.texts[$0.1]) }
                let label = ([schedules.isEmpty && !settings.isEmpty ? nil : schedule.label] + settings.map { "\($0.keyPath)=\($0.value)" }).compactMap { $0 }.joined(separator: ", ")
                var betaSummary = ""
                for seed in seeds {
                    let seeded = try set(document, ["training", "seed"], .number(seed), flag: "--seeds")
                    let configuration: RunConfiguration
                    do {
                        configuration = try RunConfiguration.parse(seeded, file: basePath)
                    } catch {
                        throw describe(error, schedule: schedule, axes: axes, combination: combination)
                    }
                    if betaSummary.isEmpty { betaSummary = configuration.weightSummary }
                    let resolved = configuration.json
                    let id = TrialIdentifier.identifier(resolved, baseDirectory: baseDirectory)
                    if let other = owners[id] {
                        throw SweepError("\(label) and \(other) resolve to the same run config (trial \(id), seed \(seed)): they would be one trial; give each schedule and value once")
                    }
                    owners[id] = label
                    var members = resolved.members ?? []
                    members.removeAll { $0.key == "description" }
                    members.insert(JSONMember(key: "description", value: .string("anneal compare trial \(id): \(label), seed \(seed)")), at: 0)
                    trials.append(Trial(id: id, group: groups.count, seed: seed, configuration: JSONValue(.object(members))))
                }
                groups.append(TrialGroup(label: label, schedule: schedule.label, settings: settings, betaSummary: betaSummary))
            }
        }
        return SweepPlan(basePath: basePath, groups: groups, trials: trials, seeds: seeds)
    }

    /// Every combination of one index per axis, the last axis fastest; one empty combination for no axes.
    static func combinations(_ counts: [Int]) -> [[Int]] {
        var result: [[Int]] = [[]]
        for count in counts {
            result = result.flatMap { prefix in (0..<count).map { prefix + [$0] } }
        }
        return result
    }

    /// The run length a document asks for (`num_epochs`, `generator_training_epochs`, or the default).
    public static func numEpochs(_ document: JSONValue) -> Int {
        for key in ["num_epochs", "generator_training_epochs"] {
            if case .number(let value, _)? = document["training"]?[key]?.kind, value >= 1, value == value.rounded(), value < 1e9 { return Int(value) }
        }
        return TrainingSettings.defaultEpochs
    }

    /// `document` with `value` at `path`, objects created on the way.
    static func set(_ document: JSONValue, _ path: [String], _ value: JSONValue, flag: String, prefix: [String] = []) throws(SweepError) -> JSONValue {
        guard let key = path.first else { return value }
        guard case .object(var members) = document.kind else {
            throw SweepError.usage("\(flag): \(prefix.joined(separator: ".")) is \(document.kindName) in the config, not an object, so it has no key \(MessageText.quoted(key))")
        }
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index].value = try set(members[index].value, Array(path.dropFirst()), value, flag: flag, prefix: prefix + [key])
        } else {
            members.append(JSONMember(key: key, value: try set(JSONValue(.object([])), Array(path.dropFirst()), value, flag: flag, prefix: prefix + [key])))
        }
        return JSONValue(.object(members), position: document.position)
    }

    /// `document` with the β keys of its training section replaced by `betaMembers`.
    static func replaceBetaKeys(_ document: JSONValue, with betaMembers: [JSONMember]) -> JSONValue {
        guard case .object(var members) = document.kind else { return document }
        var training: [JSONMember] = []
        var position: SourcePosition?
        if let index = members.firstIndex(where: { $0.key == "training" }), case .object(let existing) = members[index].value.kind {
            training = existing
            position = members[index].value.position
            members.remove(at: index)
        }
        training.removeAll { ScheduleChoice.betaKeys.contains($0.key) }
        training += betaMembers
        members.append(JSONMember(key: "training", value: JSONValue(.object(training), position: position)))
        return JSONValue(.object(members), position: document.position)
    }

    /// A config error of one trial, with the flag or schedule that caused it in front.
    /// A value of a `--set` flag that the config reader refuses is a usage error (exit status 64).
    static func describe(_ error: ConfigError, schedule: ScheduleChoice, axes: [SweepAxis], combination: [Int]) -> SweepError {
        let path = error.keyPath?.description ?? ""
        for (axis, index) in zip(axes, combination) where path == axis.keyPath || path.hasPrefix(axis.keyPath + ".") || path.hasPrefix(axis.keyPath + "[") {
            return .usage("--set \(axis.keyPath)=\(axis.texts[index]): \(path): \(error.message)")
        }
        return SweepError(describeOutsideAxes(error, path: path, schedule: schedule))
    }

    static func describeOutsideAxes(_ error: ConfigError, path: String, schedule: ScheduleChoice) -> String {
        let scheduleKeys = ScheduleChoice.betaKeys.map { "training." + $0 }
        let inSchedule = scheduleKeys.contains { path == $0 || path.hasPrefix($0 + ".") }
        switch schedule.source {
        case .file(let file, _) where inSchedule:
            return "schedule \(schedule.label) (\(file)): \(path): \(error.message)"
        case .builtIn where inSchedule:
            return "schedule \(schedule.label): \(error.description)"
        default:
            return schedule.label == "base" ? error.description : "schedule \(schedule.label): \(error.description)"
        }
    }

    // MARK: plan.json

    public var json: JSONValue {
        .object([
            ("format", .number(1)), ("base_config", .string(basePath)),
            ("seeds", .array(seeds.map { .number($0) })),
            ("groups", .array(groups.map(\.json))),
            ("trials", .array(trials.map(\.json))),
        ])
    }

    public init(json: JSONValue, file: String) throws(SweepError) {
        guard case .string(let base)? = json["base_config"]?.kind, case .array(let groupValues)? = json["groups"]?.kind,
              case .array(let trialValues)? = json["trials"]?.kind else {
            throw SweepError("\(file): not a comparison plan written by anneal compare (it needs base_config, groups and trials)")
        }
        var groups: [TrialGroup] = []
        var trials: [Trial] = []
        do {
            for value in groupValues { groups.append(try TrialGroup(json: value)) }
            for value in trialValues { trials.append(try Trial(json: value)) }
        } catch {
            throw SweepError("\(file): \(error.message)")
        }
        let groupCount = groups.count
        if let bad = trials.first(where: { $0.group < 0 || $0.group >= groupCount }) {
            throw SweepError("\(file): trial \(bad.id) names group \(bad.group), but the plan has \(groupCount)")
        }
        var seeds: [Int] = []
        if case .array(let items)? = json["seeds"]?.kind {
            for item in items { if case .number(let value, _) = item.kind { seeds.append(Int(saturating: value)) } }
        }
        self.init(basePath: base, groups: groups, trials: trials, seeds: seeds)
    }

    /// Reads `DIR/plan.json`.
    public static func load(_ path: String) throws(SweepError) -> SweepPlan {
        do {
            return try SweepPlan(json: try ConfigFile.load(path), file: path)
        } catch let error as ConfigError {
            throw SweepError(error.description)
        } catch let error as SweepError {
            throw error
        } catch {
            throw SweepError("\(path): \(error)")
        }
    }

    /// Whether `other` has the same groups and trials (what decides whether two commands run one comparison).
    public func sameTrials(as other: SweepPlan) -> Bool {
        groups.map(\.label) == other.groups.map(\.label) && trials == other.trials
    }
}
