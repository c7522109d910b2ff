import JSONConfig

/// The trials that differ only in their seed: one schedule with one value of every `--set` axis. A row of the
/// comparison table.
public struct TrialGroup: Sendable, Equatable {
    /// `cosine`, or `cosine, training.learning_rate=0.003` when axes vary.
    public var label: String
    /// The schedule's label (`cosine`, a file's name, or `base`).
    public var schedule: String
    /// The axis values of this group, as (key path, value as written), in the order of the `--set` flags.
    public var settings: [Setting]
    /// The β schedule (or the KL shaping that replaces it) in words, as `anneal train` prints it.
    public var betaSummary: String

    /// One `--set` key path and the value it has in this group.
    public struct Setting: Sendable, Equatable {
        public var keyPath: String
        public var value: String

        public init(keyPath: String, value: String) {
            self.keyPath = keyPath
            self.value = value
        }
    }

    public init(label: String, schedule: String, settings: [Setting], betaSummary: String) {
        self.label = label
        self.schedule = schedule
        self.settings = settings
        self.betaSummary = betaSummary
    }

    /// A name safe for a folder: the label with every character but letters, digits, `.`, `_`, `=`, `-`
    /// replaced by `_`, and the settings shortened to their last key (`cosine-learning_rate=0.003`).
    public var slug: String {
        var text = schedule
        for setting in settings {
            text += "-" + (setting.keyPath.split(separator: ".").last.map(String.init) ?? setting.keyPath) + "=" + setting.value
        }
        return String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._=-".contains($0)) ? $0 : "_" })
    }

    public var json: JSONValue {
        .object([("label", .string(label)), ("schedule", .string(schedule)),
                 ("settings", .object(settings.map { ($0.keyPath, .string($0.value)) })), ("beta", .string(betaSummary))])
    }

    public init(json: JSONValue) throws(SweepError) {
        guard case .string(let label)? = json["label"]?.kind, case .string(let schedule)? = json["schedule"]?.kind else {
            throw SweepError("a group without label or schedule")
        }
        self.label = label
        self.schedule = schedule
        settings = (json["settings"]?.members ?? []).map { member in
            if case .string(let text) = member.value.kind { return Setting(keyPath: member.key, value: text) }
            return Setting(keyPath: member.key, value: JSONWriter.compact(member.value))
        }
        if case .string(let text)? = json["beta"]?.kind { betaSummary = text } else { betaSummary = "" }
    }
}
