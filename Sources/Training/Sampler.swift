import Data
import JSONConfig
import Tensors

/// Chooses the order of training examples for each epoch; batches are consecutive slices of it.
///
/// Deterministic by the run's generator and the epoch; the order of the current epoch is part of every
/// checkpoint, so a run resumed mid-epoch continues the same order. An order may repeat or leave out
/// examples (a curriculum draws from the examples allowed so far), but its length is always the number of
/// training examples, so every epoch has the same number of steps.
///
/// A new sampler is one file (a conforming type with a static `definition`) and one line in
/// `SamplerRegistry.definitions`.
public protocol Sampler: Sendable {
    var typeName: String { get }
    /// Its parameters as a config writes them, without `"type"`.
    var parametersJSON: JSONValue { get }
    var summary: String { get }
    /// The examples of epoch `epoch`, in order, drawn from `training` (indices into `dataset`). A pure function of
    /// its arguments: a mid-epoch checkpoint saves `generator` as it was before the call, and resuming calls it again
    /// for the same order.
    func order(epoch: Int, training: [Int], dataset: Dataset, generator: inout RandomGenerator) -> [Int]
    /// Why this sampler cannot order `dataset` (it lacks the difficulty or labels the sampler reads), or nil.
    func requirement(for dataset: Dataset) -> String?
}

extension Sampler {
    public func requirement(for dataset: Dataset) -> String? { nil }

    /// `{"type": NAME, …}`.
    public var json: JSONValue {
        .object([("type", .string(typeName))] + (parametersJSON.members ?? []).map { ($0.key, $0.value) })
    }
}
