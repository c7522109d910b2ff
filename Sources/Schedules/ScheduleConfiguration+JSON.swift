import JSONConfig

extension ScheduleConfiguration {
    /// The training section this configuration reads back from: equal values, ratios resolved to epochs.
    public var trainingJSON: JSONValue { .object(trainingJSONMembers(includingBeta: true)) }

    /// The training-section members; `includingBeta: false` leaves out the β schedule (a run whose KL terms
    /// are shaped by capacity annealing has none).
    public func trainingJSONMembers(includingBeta: Bool) -> [(String, JSONValue)] {
        var members: [(String, JSONValue)] = []
        if let numEpochs { members.append(("num_epochs", .number(numEpochs))) }
        if let useHierarchicalModel { members.append(("use_hierarchical_model", .bool(useHierarchicalModel))) }
        if includingBeta { members += beta.trainingJSONMembers }
        if let learningRate { members += learningRate.trainingJSONMembers }
        members.append(("beta_granularity", .string(betaGranularity.rawValue)))
        if let temperature { members.append(("temperature", Self.numberOrSchedule(temperature))) }
        if !lossWeights.isEmpty {
            members.append(("loss_weights", .object(lossWeights.map { ($0.name, Self.numberOrSchedule($0.schedule)) })))
        }
        if let phases { members.append(("phases", phases.json)) }
        if !controllers.isEmpty {
            members.append(("controllers", .object(controllers.map { ($0.quantity, $0.controller.json) })))
        }
        return members
    }

    /// A constant as its number, anything else in the nested form.
    static func numberOrSchedule(_ schedule: Schedule) -> JSONValue {
        if let constant = schedule.kind as? ConstantSchedule { return .number(constant.value) }
        return schedule.json
    }

    /// A full run config, `{"training": {…}}` (with the `description`, when there is one).
    public var json: JSONValue {
        var members: [(String, JSONValue)] = []
        if let description { members.append(("description", .string(description))) }
        members.append(("training", trainingJSON))
        return .object(members)
    }
}
