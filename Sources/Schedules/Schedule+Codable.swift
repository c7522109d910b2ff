import JSONConfig

/// Schedules are `Codable` in their seed-JSON form (`{"type": …, …parameters}` for one schedule), so any
/// coder stores exactly what a config file would say, and decoding checks values as reading a config does.
extension Schedule: Codable {
    public init(from decoder: Decoder) throws {
        let value = try JSONValue(from: decoder)
        do {
            self = try ScheduleReader(numEpochs: nil).nestedSchedule(ConfigNode(value))
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: Encoder) throws {
        try json.encode(to: encoder)
    }
}

extension LearningRate: Codable {
    /// Encoded as the training members `{"learning_rate": base, "lr_scheduler": {…}}`.
    public init(from decoder: Decoder) throws {
        let value = try JSONValue(from: decoder)
        do throws(ConfigError) {
            let object = try ConfigObject(value)
            guard let rate = try LearningRate.read(object, numEpochs: nil) else {
                throw object.error("gives neither learning_rate nor lr_scheduler")
            }
            try object.finish(context: "learning-rate schedule")
            self = rate
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: Encoder) throws {
        try JSONValue.object(trainingJSONMembers).encode(to: encoder)
    }
}

extension KLWeightSchedule: Codable {
    /// Encoded as `{"beta_scheduler_type": …, "beta_scheduler_params": …}`; `per_term` terms as the ordered
    /// array form, because decoders need not keep object key order.
    public init(from decoder: Decoder) throws {
        let value = try JSONValue(from: decoder)
        do {
            self = try ScheduleConfiguration.parse(value).beta
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var members = trainingJSONMembers
        if layout == .perTerm {
            let terms = terms.map { term in
                JSONValue.object([("name", .string(term.name))] + (term.schedule.json.members ?? []).map { ($0.key, $0.value) })
            }
            members[1] = ("beta_scheduler_params", .object([("terms", .array(terms))]))
        }
        try JSONValue.object(members).encode(to: encoder)
    }
}
