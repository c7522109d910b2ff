import Data
import JSONConfig
import Tensors

/// Equal draws from every stratum, so rare groups are seen as often as common ones.
///
/// Strata are the examples sharing a difficulty value (`by: "difficulty"`, the ternary operations' valuation),
/// a class label (`by: "label"`) or the value of a generative factor (`by: "factor:shape"`: dsprites' factors, or
/// `data.factors_path`'s). The epoch's order has one entry per training example and is built in
/// rounds: each round visits the strata in a fresh random order and takes the next example of each, where a
/// stratum's examples come as fresh shuffles one after another. So every run of S consecutive entries (S strata)
/// holds one example of each stratum, any batch holds ⌊B/S⌋ or ⌈B/S⌉ of each, and small strata repeat while
/// large ones are subsampled (as the weighted sampler PyTorch users build from inverse class frequencies).
///
/// Deterministic by the run's generator, resumable mid-epoch like every sampler. Config:
/// `{"type": "stratified", "by": "difficulty"}` (or `"label"`, or `"factor:NAME"`; the default is difficulty
/// when the data has it, else the label).
public struct StratifiedSampler: Sampler, Hashable {
    public enum Key: Sendable, Hashable {
        case difficulty, label
        case factor(String)

        /// As a config writes it.
        public var text: String {
            switch self {
            case .difficulty: return "difficulty"
            case .label: return "label"
            case .factor(let name): return "factor:" + name
            }
        }
    }

    /// What defines a stratum; nil: difficulty when the data has one, else the label.
    public var key: Key?

    public init(key: Key? = nil) { self.key = key }

    public static let definition = SamplerDefinition(name: "stratified", meaning: "equal draws per stratum of difficulty, label or a factor") { p throws(ConfigError) in
        guard let node = p.node("by") else { return StratifiedSampler() }
        let text = try node.string()
        switch text {
        case "difficulty": return StratifiedSampler(key: .difficulty)
        case "label": return StratifiedSampler(key: .label)
        default:
            guard text.hasPrefix("factor:"), text.count > 7 else {
                throw node.error("unknown stratum key \(MessageText.quoted(text)); allowed: difficulty, label, factor:NAME (a factor of the data: dsprites' shape, scale, orientation, position_x, position_y, or data.factor_names)")
            }
            return StratifiedSampler(key: .factor(String(text.dropFirst(7))))
        }
    }

    public var typeName: String { "stratified" }
    public var parametersJSON: JSONValue { key.map { .object([("by", .string($0.text))]) } ?? .object([]) }
    public var summary: String { "stratified by \(key?.text ?? "difficulty (or label)")" }

    public func requirement(for dataset: Dataset) -> String? {
        switch key {
        case .difficulty where dataset.difficulty == nil:
            return "the stratified sampler groups examples by difficulty, but the \(dataset.name) data has none (give data.difficulty_path, a file of one number per example)"
        case .label where dataset.labels == nil:
            return "the stratified sampler groups examples by label, but the \(dataset.name) data has none (give data.labels_path, or label_column for CSV)"
        case .factor(let name) where dataset.factors?.index(named: name) == nil:
            if let factors = dataset.factors {
                let near = factors.names.first { $0.lowercased() == name.lowercased() }
                return "the stratified sampler groups examples by the factor \(MessageText.quoted(name)), but the \(dataset.name) data's factors are \(factors.names.joined(separator: ", "))" + (near.map { "; did you mean factor:\($0)?" } ?? "")
            }
            return "the stratified sampler groups examples by the factor \(MessageText.quoted(name)), but the \(dataset.name) data has no factors (give data.factors_path, an N × K integer array)"
        case nil where dataset.difficulty == nil && dataset.labels == nil:
            return "the stratified sampler needs a difficulty or a label per example, and the \(dataset.name) data has neither"
        default:
            return nil
        }
    }

    /// The training examples grouped by stratum, strata in ascending order of their key.
    public func strata(training: [Int], dataset: Dataset) -> [[Int]] {
        var groups: [Double: [Int]] = [:]
        let useDifficulty = key == .difficulty || (key == nil && dataset.difficulty != nil)
        var factor: (DataFactors, Int)?
        if case .factor(let name) = key, let factors = dataset.factors, let position = factors.index(named: name) { factor = (factors, position) }
        for index in training {
            let value: Double
            if let (factors, position) = factor { value = Double(factors.value(row: index, factor: position)) }
            else if useDifficulty, let difficulty = dataset.difficulty { value = difficulty[index] }
            else if let labels = dataset.labels { value = Double(labels[index]) }
            else { value = 0 }
            groups[value, default: []].append(index)
        }
        return groups.keys.sorted().map { groups[$0]! }
    }

    public func order(epoch: Int, training: [Int], dataset: Dataset, generator: inout RandomGenerator) -> [Int] {
        let strata = strata(training: training, dataset: dataset)
        guard !strata.isEmpty else { return [] }
        var streams = strata.map { _ in [Int]() }
        var positions = [Int](repeating: 0, count: strata.count)
        var order: [Int] = []
        order.reserveCapacity(training.count)
        var visit = Array(strata.indices)
        while order.count < training.count {
            generator.shuffle(&visit)
            for stratum in visit where order.count < training.count {
                if positions[stratum] == streams[stratum].count {
                    streams[stratum] = strata[stratum]
                    generator.shuffle(&streams[stratum])
                    positions[stratum] = 0
                }
                order.append(streams[stratum][positions[stratum]])
                positions[stratum] += 1
            }
        }
        return order
    }
}
