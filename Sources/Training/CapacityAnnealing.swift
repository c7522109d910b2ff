import JSONConfig
import Schedules
import Tensors

/// Capacity annealing (Burgess et al. 2018, "Understanding disentangling in β-VAE"): each KL term is pulled
/// towards a target capacity C(t) instead of being weighted by β: loss = reconstruction + Σ_terms γ·|KL − C(t)|,
/// with KL the batch mean of the term and C the quantity `capacity` (in nats; any schedule, e.g. a linear ramp
/// from 0 to 25 over 100 epochs, evaluated per step). The reported ELBO still uses the true KL.
///
/// Config: `training.capacity = {"gamma": 1000, "schedule": {"type": "linear", "max_beta": 25, "warmup_epochs": 100}}`;
/// it replaces the β schedule (giving both is an error).
public struct CapacityAnnealing: TermShaping, Hashable {
    public var gamma: Double
    public var schedule: Schedule

    public init(gamma: Double, schedule: Schedule) {
        self.gamma = gamma
        self.schedule = schedule
    }

    public static let definition = LossShapingDefinition(key: "capacity", meaning: "γ·|KL − C(t)| in place of β·KL (Burgess et al. 2018)") { node, reader throws(ConfigError) in
        if case .null = node.value.kind { return nil }
        let object = try node.object()
        let gammaNode = try object.required("gamma", "the weight γ on |KL − C|, e.g. 1000")
        let gamma = try gammaNode.number()
        if gamma <= 0 { throw gammaNode.error("must be greater than 0, got \(gammaNode.value.briefDescription)") }
        let schedule = try reader.nestedSchedule(try object.required("schedule", "the capacity C in nats over training, {\"type\": \"linear\", \"max_beta\": 25, \"warmup_epochs\": 100}"))
        try object.finish(context: "capacity")
        let capacity = CapacityAnnealing(gamma: gamma, schedule: schedule)
        return LossShapingDefinition.Setup(shaping: capacity, quantities: [Quantity(name: "capacity", role: .capacity, schedule: schedule, evaluation: .step)],
                                           replacesKLWeight: true)
    }

    public var key: String { "capacity" }
    public var json: JSONValue { .object([("gamma", .number(gamma)), ("schedule", schedule.json)]) }
    public var summary: String { "capacity annealing γ = \(gamma), C: \(schedule.summary)" }
    public var quantityNames: [String] { ["capacity"] }

    public func reduce<Scalar: TensorScalar>(_ term: Graph<Scalar>.Variable, quantities: QuantityReading, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        // γ·|mean KL − C|
        let kl = graph.mean(graph.sumOverColumns(term))
        return graph.scale(graph.absolute(graph.addScalar(kl, -quantities[0])), by: gamma)
    }
}
