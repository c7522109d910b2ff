import Data
import JSONConfig
import Tensors

/// Every training example once per epoch, in a fresh random order (the default; PyTorch's
/// `DataLoader(shuffle=True)`). Config: `training.sampler = "shuffled"`.
public struct ShuffledSampler: Sampler, Hashable {
    public init() {}

    public static let definition = SamplerDefinition(name: "shuffled", meaning: "every example once per epoch, shuffled") { _ throws(ConfigError) in
        ShuffledSampler()
    }

    public var typeName: String { "shuffled" }
    public var parametersJSON: JSONValue { .object([]) }
    public var summary: String { "shuffled" }

    public func order(epoch: Int, training: [Int], dataset: Dataset, generator: inout RandomGenerator) -> [Int] {
        var order = training
        generator.shuffle(&order)
        return order
    }
}
