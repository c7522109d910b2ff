import JSONConfig

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

extension PiecewiseSchedule: ScheduleKind {
    public static let definition = ScheduleTypeDefinition(names: ["piecewise"], meaning: "through knots [[epoch, value], …] with linear, cosine or step interpolation; two knots at one epoch make a jump") { _, p, reader throws(ConfigError) in
        let knotsNode = try p.required("knots", "[[epoch, value], …] with epochs in order")
        let elements = try knotsNode.array()
        if elements.isEmpty { throw knotsNode.error("needs at least one knot [epoch, value]") }
        var knots: [Knot] = []
        for element in elements {
            let pair = try element.array()
            guard pair.count == 2 else {
                throw element.error("each knot is a pair [epoch, value], got \(pair.count) element\(pair.count == 1 ? "" : "s")")
            }
            let epoch = try pair[0].number()
            let value = try pair[1].number()
            if epoch < 0 { throw pair[0].error("a knot's epoch must be ≥ 0, got \(pair[0].value.briefDescription)") }
            if let previous = knots.last {
                if epoch < previous.epoch {
                    throw pair[0].error("knot epochs must not decrease: \(Format.number(epoch)) comes after \(Format.number(previous.epoch))")
                }
                if knots.count >= 2, knots[knots.count - 2].epoch == epoch {
                    throw pair[0].error("at most two knots may share an epoch (a jump); epoch \(Format.number(epoch)) has three")
                }
            }
            knots.append(Knot(epoch: epoch, value: value))
        }
        let names = PiecewiseInterpolation.allCases.map(\.rawValue)
        let name = try p.node("interpolation")?.choice(names, what: "interpolation") ?? "linear"
        return PiecewiseSchedule(knots: knots, interpolation: PiecewiseInterpolation(rawValue: name)!)
    }

    public var typeName: String { "piecewise" }

    public var parametersJSON: JSONValue {
        .object([("knots", .array(knots.map { .array([.number($0.epoch), .number($0.value)]) })), ("interpolation", .string(interpolation.rawValue))])
    }

    public var summary: String {
        "piecewise \(interpolation.rawValue) through \(knots.count) knot\(knots.count == 1 ? "" : "s")"
    }

    public func warnings(over window: RunWindow) -> [String] {
        let last = window.last
        guard let lastKnot = knots.last, lastKnot.epoch > last.epoch else { return [] }
        let final = value(at: last)
        return ["knots after \(window.lastDescription) are never reached: the last knot is at epoch \(Format.short(lastKnot.epoch)), so the value ends at \(Format.short(final)), not \(Format.short(lastKnot.value))"]
    }
}
