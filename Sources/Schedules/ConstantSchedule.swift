/// β (or any quantity) held fixed: `value(t) = value`.
///
/// Config: `{"beta_scheduler_type": "constant", "beta_scheduler_params": {"beta": 1.0}}`. The easy switch back
/// to a plain VAE (β = 1) or a fixed-β β-VAE that users ask for (ccpem/affinity-vae #88).
public struct ConstantSchedule: ProgressSchedule, Hashable {
    public var value: Double

    public init(value: Double) {
        self.value = value
    }

    public func value(at progress: TrainingProgress) -> Double { value }
}
