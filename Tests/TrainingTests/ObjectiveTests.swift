import Models
import Schedules
import Testing
@testable import Tensors
@testable import Training

@Suite("Objective")
struct ObjectiveTests {
    /// Terms of a VAE with a 2-dimensional latent and a penalty, for 2 examples.
    static let terms = [LossTermDescription(name: "reconstruction", role: .reconstruction), LossTermDescription(name: "kl", role: .kl, columns: 2),
                        LossTermDescription(name: "radial", role: .penalty)]

    func output(_ graph: Graph<Double>) -> ModelOutput<Double> {
        // reconstruction (3, 5); KL per dimension ((0.1, 0.9), (0.3, 0.5)); radial (2, 4).
        let terms = [graph.constant(Tensor([[3], [5]])), graph.constant(Tensor([[0.1, 0.9], [0.3, 0.5]])), graph.constant(Tensor([[2], [4]]))]
        return ModelOutput(terms: terms, posteriorMeans: [terms[1]], decoderOutput: terms[0], latent: terms[1])
    }

    func plan(_ extra: [Quantity] = []) -> QuantityPlan {
        QuantityPlan([Quantity(name: "beta", role: .klWeight, schedule: .constant(ConstantSchedule(value: 0.5)), evaluation: .epoch)] + extra)
    }

    @Test("Σ weight·mean(term): β on KL, 1 on reconstruction and penalties unless weighted")
    func plainSum() throws {
        let graph = Graph<Double>()
        let objective = try Objective(terms: Self.terms, plan: plan(), klShaping: nil)
        // mean recon 4; mean KL total (1.0 + 0.8)/2 = 0.9, ×0.5 = 0.45; mean radial 3: 7.45.
        #expect(abs(graph.scalar(objective.loss(output(graph), values: [0.5], in: graph)) - 7.45) < 1e-12)
        let weighted = plan([Quantity(name: "reconstruction_weight", role: .lossWeight, schedule: .constant(ConstantSchedule(value: 2)), evaluation: .epoch, term: "reconstruction"),
                             Quantity(name: "radial_weight", role: .lossWeight, schedule: .constant(ConstantSchedule(value: 0.1)), evaluation: .epoch, term: "radial")])
        let second = try Objective(terms: Self.terms, plan: weighted, klShaping: nil)
        // 2·4 + 0.5·0.9 + 0.1·3 = 8.75.
        #expect(abs(graph.scalar(second.loss(output(graph), values: [0.5, 2, 0.1], in: graph)) - 8.75) < 1e-12)
    }

    @Test("free bits per dimension and per example, with the arithmetic")
    func freeBits() throws {
        let graph = Graph<Double>()
        // Per dimension, λ = 0.35: batch means (0.2, 0.7) → max(0.35, ·) = 0.35 + 0.7 = 1.05; ×β 0.5 = 0.525; + 4 + 3.
        let perDimension = try Objective(terms: Self.terms, plan: plan(), klShaping: .init(shaping: FreeBits(lambda: 0.35)))
        #expect(abs(graph.scalar(perDimension.loss(output(graph), values: [0.5], in: graph)) - 7.525) < 1e-12)
        // Per example, λ = 0.45 (floor 0.9 for 2 dimensions): totals (1.0, 0.8) → (1.0, 0.9), mean 0.95; ×0.5 = 0.475.
        let perExample = try Objective(terms: Self.terms, plan: plan(), klShaping: .init(shaping: FreeBits(lambda: 0.45, variant: .perExample)))
        #expect(abs(graph.scalar(perExample.loss(output(graph), values: [0.5], in: graph)) - 7.475) < 1e-12)
    }

    @Test("capacity: γ·|mean KL − C| in place of β·KL")
    func capacity() throws {
        let graph = Graph<Double>()
        let capacity = CapacityAnnealing(gamma: 10, schedule: .constant(ConstantSchedule(value: 0.5)))
        let quantities = QuantityPlan([Quantity(name: "capacity", role: .capacity, schedule: capacity.schedule, evaluation: .step)])
        let objective = try Objective(terms: Self.terms, plan: quantities,
                                      klShaping: .init(shaping: capacity, quantities: quantities.quantities, replacesKLWeight: true))
        // 4 + 10·|0.9 − 0.5| + 3 = 11.
        #expect(abs(graph.scalar(objective.loss(output(graph), values: [0.5], in: graph)) - 11) < 1e-12)
        #expect(objective.entries[1].weight == nil)
    }

    @Test("a KL term without a weight is an error naming the schedule's terms")
    func missingWeight() {
        let perTerm = QuantityPlan([Quantity(name: "global_kl_weight", role: .klWeight, schedule: .constant(ConstantSchedule(value: 1)), evaluation: .epoch, term: "global")])
        #expect { try Objective(terms: Self.terms, plan: perTerm, klShaping: nil) } throws: { error in
            (error as? TrainingError)?.message == "no KL weight for the term kl: the β schedule names global_kl_weight"
        }
    }
}
