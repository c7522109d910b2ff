/// A schedule through knots `[[epoch, value], …]`, for phase schedules such as seed 004's
/// (β_A 0.3 → 0.8 over epochs 0–40, β_B 0 → 0.1 over 40–49, a jump to 0.5 at 50, 0.5 → 1.0 by 100).
///
/// Before the first knot the value is the first knot's; after the last, the last knot's. Between knots it
/// follows the `interpolation`. Knot epochs must not decrease; two knots may share an epoch to make a jump,
/// and at that epoch the value is the later knot's (the schedule is continuous from the right).
public struct PiecewiseSchedule: ProgressSchedule, Hashable {
    /// One knot: the schedule passes through `value` at `epoch`.
    public struct Knot: Hashable, Sendable {
        public var epoch: Double
        public var value: Double

        public init(epoch: Double, value: Double) {
            self.epoch = epoch
            self.value = value
        }
    }

    public var knots: [Knot]
    public var interpolation: PiecewiseInterpolation

    public init(knots: [Knot], interpolation: PiecewiseInterpolation = .linear) {
        precondition(!knots.isEmpty, "a piecewise schedule needs at least one knot")
        self.knots = knots
        self.interpolation = interpolation
    }

    public func value(at progress: TrainingProgress) -> Double {
        let t = progress.epoch
        // The last knot at or before t (knots are few; a linear scan is faster than bisection here).
        var index = -1
        for (offset, knot) in knots.enumerated() where knot.epoch <= t { index = offset }
        if index < 0 { return knots[0].value }
        if index == knots.count - 1 { return knots[index].value }
        let left = knots[index]
        let right = knots[index + 1]
        let fraction = (t - left.epoch) / (right.epoch - left.epoch)
        return interpolate(left.value, right.value, interpolation.fraction(fraction))
    }
}
