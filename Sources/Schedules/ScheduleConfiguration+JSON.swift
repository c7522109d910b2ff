import JSONConfig

extension ScheduleConfiguration {
    /// The training section this configuration reads back from: equal values, ratios resolved to epochs.
    public var trainingJSON: JSONValue {
        var members: [(String, JSONValue)] = []
        if let numEpochs { members.append(("num_epochs", .number(numEpochs))) }
        if let useHierarchicalModel { members.append(("use_hierarchical_model", .bool(useHierarchicalModel))) }
        members += beta.trainingJSONMembers
        if let learningRate {
            members.append(("learning_rate", .number(learningRate.baseLearningRate)))
            if case .constant = learningRate {} else { members.append(("lr_scheduler", learningRate.json)) }
        }
        return .object(members)
    }

    /// A full run config, `{"training": {…}}`.
    public var json: JSONValue { .object([("training", trainingJSON)]) }
}
