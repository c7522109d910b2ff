import JSONConfig

extension KLWeightSchedule {
    /// The `beta_scheduler_type` this schedule is written with.
    public var typeName: String {
        switch layout {
        case .single: return terms[0].schedule.typeName
        case .hierarchical: return "hierarchical"
        case .perTerm: return "per_term"
        }
    }

    /// The `beta_scheduler_params` this schedule is written with.
    public var parametersJSON: JSONValue {
        switch layout {
        case .single:
            return terms[0].schedule.parametersJSON
        case .hierarchical:
            return .object(terms.map { ("\($0.name)_scheduler", $0.schedule.json) })
        case .perTerm:
            return .object([("terms", .object(terms.map { ($0.name, $0.schedule.json) }))])
        }
    }

    /// The training-section keys for this schedule: `beta_scheduler_type` and `beta_scheduler_params`.
    public var trainingJSONMembers: [(String, JSONValue)] {
        [("beta_scheduler_type", .string(typeName)), ("beta_scheduler_params", parametersJSON)]
    }

    /// One line per term: "beta: cyclical cosine wave …", or "global_kl_weight: …; local_kl_weight: …".
    public var summary: String {
        if layout == .single { return terms[0].schedule.summary }
        return terms.indices.map { "\(reportedName(ofTerm: $0)): \(terms[$0].schedule.summary)" }.joined(separator: "; ")
    }
}
