import JSONConfig
import Tensors

/// How a loss term becomes the scalar the objective weighs: the batch mean of the per-example values by
/// default; free bits and capacity annealing are shapings (applied to the optimised objective only: reported
/// ELBOs use the true terms).
///
/// A new shaping is one file (a conforming type with a static `definition` that reads its config key) and one
/// line in `LossShapingRegistry.definitions`.
public protocol TermShaping: Sendable {
    /// The training-section key it is configured under (`free_bits`).
    var key: String { get }
    /// Its config value, as a config writes it.
    var json: JSONValue { get }
    /// One line for people.
    var summary: String { get }
    /// The quantities it reads each step (capacity annealing's target `capacity`), by name.
    var quantityNames: [String] { get }
    /// The 1 × 1 scalar for a term whose per-example values are `term` (rows × columns); `quantities[i]` is the
    /// value of `quantityNames[i]` at this step.
    func reduce<Scalar: TensorScalar>(_ term: Graph<Scalar>.Variable, quantities: QuantityReading, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable
}

extension TermShaping {
    public var quantityNames: [String] { [] }
}

/// The plain reduction: the batch mean of each example's total (summed over columns).
public struct BatchMean: Sendable {
    public static func reduce<Scalar: TensorScalar>(_ term: Graph<Scalar>.Variable, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        graph.shape(term).columns == 1 ? graph.mean(term) : graph.mean(graph.sumOverColumns(term))
    }
}
