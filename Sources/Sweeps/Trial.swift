import JSONConfig

/// One training of a comparison: a group's config with one seed, run by `anneal train` in
/// `OUT/trials/<id>/`.
public struct Trial: Sendable, Equatable {
    /// `TrialIdentifier` of the resolved config (seed included): 16 hexadecimal digits.
    public var id: String
    /// The index of its group in the plan.
    public var group: Int
    public var seed: Int
    /// The resolved run config `anneal train` is given (`trial.json`), with absolute data paths and a
    /// description naming the trial. Nil when read back from a plan file.
    public var configuration: JSONValue?

    public init(id: String, group: Int, seed: Int, configuration: JSONValue? = nil) {
        self.id = id
        self.group = group
        self.seed = seed
        self.configuration = configuration
    }

    public static func == (lhs: Trial, rhs: Trial) -> Bool {
        lhs.id == rhs.id && lhs.group == rhs.group && lhs.seed == rhs.seed
    }

    public var json: JSONValue {
        .object([("id", .string(id)), ("group", .number(group)), ("seed", .number(seed))])
    }

    public init(json: JSONValue) throws(SweepError) {
        guard case .string(let id)? = json["id"]?.kind, case .number(let group, _)? = json["group"]?.kind,
              case .number(let seed, _)? = json["seed"]?.kind else {
            throw SweepError("a trial without id, group or seed")
        }
        self.init(id: id, group: Int(saturating: group), seed: Int(saturating: seed))
    }
}
