import Models
import Schedules
import Tensors

/// The optimised loss: Σ over the model's terms of weight·shape(term).
///
/// - The reconstruction term's weight is the quantity `reconstruction_weight` when the config sets one, else 1.
/// - A KL term's weight is its `<term>_kl_weight` (or the shared `beta`), unless a shaping replaces the weight
///   (capacity annealing); its shape is the run's KL shaping (free bits, capacity) or the batch mean.
/// - Any other term (a penalty) is weighed by `<term>_weight` when set, else 1.
///
/// Terms are added in the model's order, so the sum is the same floating-point sum every step.
public struct Objective: Sendable {
    public struct Entry: Sendable {
        public var term: LossTermDescription
        /// The index of the weight in the quantity values, nil for a weight of 1.
        public var weight: Int?
        public var shaping: (any TermShaping)?
        /// Indices of the shaping's quantities in the quantity values.
        var shapingQuantities: [Int]
    }

    public let entries: [Entry]

    /// The objective for a model with `terms` under `plan`. Every quantity a term needs must be in the plan.
    public init(terms: [LossTermDescription], plan: QuantityPlan, klShaping: LossShapingDefinition.Setup?) throws(TrainingError) {
        var entries: [Entry] = []
        for term in terms {
            var entry = Entry(term: term, weight: nil, shaping: nil, shapingQuantities: [])
            switch term.role {
            case .reconstruction, .penalty:
                entry.weight = plan.index(of: Quantity.lossWeightName(term.name))
            case .kl:
                if let klShaping {
                    entry.shaping = klShaping.shaping
                    for name in klShaping.shaping.quantityNames {
                        guard let index = plan.index(of: name) else { throw TrainingError("the \(klShaping.shaping.key) shaping needs the quantity \(name), which this run does not have") }
                        entry.shapingQuantities.append(index)
                    }
                }
                if klShaping?.replacesKLWeight != true {
                    guard let index = plan.klWeightIndex(term: term.name) else {
                        throw TrainingError("no KL weight for the term \(term.name): the β schedule names \(plan.quantities.filter { $0.role == .klWeight }.map(\.name).joined(separator: ", "))")
                    }
                    entry.weight = index
                }
            }
            entries.append(entry)
        }
        self.entries = entries
    }

    /// The objective (1 × 1) for `output` with this step's quantity `values`.
    public func loss<Scalar: TensorScalar>(_ output: ModelOutput<Scalar>, values: [Double], in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        loss(output, values: values, terms: entries.indices, in: graph)!
    }

    /// The part of the objective made of the terms at `terms` (indices into the model's terms), or nil for none:
    /// one group's loss, for gradient balancing.
    public func loss<Scalar: TensorScalar, Indices: Sequence<Int>>(_ output: ModelOutput<Scalar>, values: [Double], terms: Indices,
                                                                    in graph: Graph<Scalar>) -> Graph<Scalar>.Variable? {
        var total: Graph<Scalar>.Variable?
        for index in terms {
            let entry = entries[index]
            let term = output.terms[index]
            var shaped = entry.shaping.map { $0.reduce(term, quantities: QuantityReading(values: values, indices: entry.shapingQuantities), in: graph) }
                ?? BatchMean.reduce(term, in: graph)
            if let weight = entry.weight { shaped = graph.scale(shaped, by: values[weight]) }
            total = total.map { graph.add($0, shaped) } ?? shaped
        }
        return total
    }

    /// The names of the quantities this objective reads, for messages.
    public func weightDescription(_ plan: QuantityPlan) -> String {
        entries.map { entry in
            let weight = entry.weight.map { plan.quantities[$0].name } ?? "1"
            let shape = entry.shaping.map { " (\($0.summary))" } ?? ""
            return "\(weight)·\(entry.term.name)\(shape)"
        }.joined(separator: " + ")
    }
}
