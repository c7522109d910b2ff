import Schedules

/// Capacity annealing (Burgess et al. 2018, "Understanding disentangling in β-VAE"): each KL term is pulled
/// towards a target capacity C(t) instead of being weighted by β: loss = reconstruction + Σ_terms γ·|KL − C(t)|,
/// with KL the batch mean of the term and C from any schedule (in nats; e.g. a linear ramp from 0 to 25 over
/// 100 epochs). Config: `training.capacity = {"gamma": 1000, "schedule": {"type": "linear", "max_beta": 25, …}}`.
/// The reported ELBO still uses the true KL.
public struct CapacityAnnealing: Hashable, Sendable {
    public var gamma: Double
    public var schedule: Schedule

    public init(gamma: Double, schedule: Schedule) {
        self.gamma = gamma
        self.schedule = schedule
    }
}
