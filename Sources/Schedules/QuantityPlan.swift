/// Every quantity of a run, in a fixed order, and how to read them all at a step.
///
/// The trainer asks `values(at:controllers:into:)` once per step and reads the values by index, so the hot
/// path does no dictionary lookups and allocates nothing; controllers' states live in the training state and
/// move by `update(_:observation:at:)` after each step.
public struct QuantityPlan: Hashable, Sendable {
    public private(set) var quantities: [Quantity]
    /// The phases that set some of the quantities' schedules (`training.phases`), for their names.
    public var phases: PhasePlan?

    public init(_ quantities: [Quantity] = []) {
        self.quantities = []
        for quantity in quantities { append(quantity) }
    }

    /// Adds a quantity after the others of its role (KL weights, capacity, learning rate, temperature, loss
    /// weights: the order of tables and logs); a name given twice replaces the earlier entry (a later, more
    /// specific setting wins).
    public mutating func append(_ quantity: Quantity) {
        if let index = index(of: quantity.name) {
            quantities[index] = quantity
            return
        }
        let rank = Self.roleOrder.firstIndex(of: quantity.role) ?? Self.roleOrder.count
        let position = quantities.firstIndex { (Self.roleOrder.firstIndex(of: $0.role) ?? Self.roleOrder.count) > rank } ?? quantities.count
        quantities.insert(quantity, at: position)
    }

    /// The order of roles in a plan.
    static let roleOrder: [Quantity.Role] = [.klWeight, .capacity, .learningRate, .temperature, .lossWeight, .model]

    /// Removes the quantity `name`, if there is one.
    public mutating func remove(named name: String) {
        quantities.removeAll { $0.name == name }
    }

    /// Removes every quantity of `role`.
    public mutating func removeAll(role: Quantity.Role) {
        quantities.removeAll { $0.role == role }
    }

    public var names: [String] { quantities.map(\.name) }
    public var count: Int { quantities.count }

    public func index(of name: String) -> Int? { quantities.firstIndex { $0.name == name } }
    public subscript(name: String) -> Quantity? { index(of: name).map { quantities[$0] } }

    /// Attaches a controller to quantity `name` (which must exist).
    public mutating func setController(_ controller: Controller, for name: String) {
        guard let index = index(of: name) else { preconditionFailure("no quantity \(name)") }
        quantities[index].controller = controller
    }

    /// Whether any quantity has a controller (otherwise no observation needs to be measured).
    public var hasControllers: Bool { quantities.contains { $0.controller != nil } }

    /// The KL weight of `term`: its own quantity, or the β shared by every term.
    public func klWeightIndex(term: String) -> Int? {
        index(of: Quantity.klWeightName(term)) ?? quantities.firstIndex { $0.role == .klWeight && $0.term == nil }
    }

    // MARK: Values

    /// The controllers' states before the first step, one per quantity (nil for scheduled quantities).
    public func initialControllerStates() -> [ControllerState?] {
        quantities.map { $0.controller?.initialState() }
    }

    /// Every quantity's value at `progress` into `values` (resized once to `count`).
    public func values(at progress: TrainingProgress, controllers: [ControllerState?], into values: inout [Double]) {
        if values.count != quantities.count { values = [Double](repeating: 0, count: quantities.count) }
        for index in quantities.indices {
            let quantity = quantities[index]
            let scheduled = quantity.scheduledValue(at: progress)
            if let controller = quantity.controller, let state = controllers[index] {
                values[index] = controller.value(in: state, scheduled: scheduled)
            } else {
                values[index] = scheduled
            }
        }
    }

    /// The values at `progress` as a new array (for tables and logs, not the hot path).
    public func values(at progress: TrainingProgress, controllers: [ControllerState?]? = nil) -> [Double] {
        var result: [Double] = []
        values(at: progress, controllers: controllers ?? initialControllerStates(), into: &result)
        return result
    }

    /// Moves every controller's state by one step's measurements (pure per controller).
    public func update(_ states: inout [ControllerState?], observation: Observation, at progress: TrainingProgress) {
        for index in quantities.indices {
            guard let controller = quantities[index].controller, let state = states[index] else { continue }
            states[index] = controller.updated(state, observation: observation, scheduled: quantities[index].scheduledValue(at: progress))
        }
    }

    // MARK: Checks

    /// Warnings for every scheduled quantity over `window` (a quantity whose controller replaces its schedule
    /// has none), each naming the quantity. Quantities evaluated once per epoch are checked per epoch.
    /// For a KL weight: when the values the run will use (at every step, or every epoch start) peak below half
    /// of what the schedule reaches between them, the run never sees the schedule's rise: a cycle of half a
    /// step evaluated at each step's start is 0 throughout. At most 100,000 points of each are compared.
    static func shortfall(_ quantity: Quantity, over window: RunWindow) -> String? {
        let stepsPerEpoch = quantity.evaluation == .epoch ? 1 : max(1, window.stepsPerEpoch)
        let steps = window.numEpochs * stepsPerEpoch
        guard steps > 0 else { return nil }
        var used = -Double.infinity
        for index in stride(from: 0, to: steps, by: max(1, steps / 100_000)) {
            used = Swift.max(used, quantity.schedule.value(at: .batch(index % stepsPerEpoch, ofEpoch: index / stepsPerEpoch, stepsPerEpoch: stepsPerEpoch)))
        }
        let fine = Swift.min(100_000, Swift.max(64 * window.numEpochs, steps * 8))
        var reached = -Double.infinity
        for index in 0..<fine {
            let t = Double(index) * Double(window.numEpochs) / Double(fine), perEpoch = Swift.max(1, window.stepsPerEpoch)
            reached = Swift.max(reached, quantity.schedule.value(at: TrainingProgress(epoch: t, step: Int(t * Double(perEpoch)), stepsPerEpoch: perEpoch)))
        }
        guard reached > 0, used < 0.5 * reached else { return nil }
        let per = quantity.evaluation == .epoch ? "epoch start" : "step"
        return "the run evaluates it at \(steps) \(per)\(steps == 1 ? "" : "s") and it reaches at most \(Format.short(used)) there, while the schedule rises to \(Format.short(reached)) between them: its cycles or warm-up are too short for this run (\(window.numEpochs) epoch\(window.numEpochs == 1 ? "" : "s") × \(window.stepsPerEpoch) step\(window.stepsPerEpoch == 1 ? "" : "s")); use fewer cycles, a longer warm-up, more epochs or a smaller batch_size"
    }

    public func warnings(over window: RunWindow) -> [ScheduleWarning] {
        quantities.flatMap { quantity -> [ScheduleWarning] in
            if let controller = quantity.controller, !controller.readsSchedule { return [] }
            var own = window
            own.evaluatedPerEpoch = quantity.evaluation == .epoch
            if quantity.evaluation == .epoch { own.stepsPerEpoch = 1 }
            var messages = quantity.schedule.warnings(over: own)
            // A short cycle sampled once per epoch (beta_granularity "epoch" given explicitly) aliases.
            if quantity.evaluation == .epoch, let period = quantity.schedule.shortestPeriod, period < GranularitySetting.autoStepThreshold {
                let sampled = (0..<window.numEpochs).map { quantity.schedule.value(at: .epoch($0)) }
                var distinct: [Double] = []
                for value in sampled where !distinct.contains(value) { distinct.append(value) }
                let what = distinct.count == 1 ? "the same value, \(Format.short(distinct[0])), in every epoch"
                    : distinct.count <= 3 ? "only the values \(distinct.map { Format.short($0) }.joined(separator: ", ")) at epoch starts" : "a few points of each cycle"
                messages.append("its cycle of \(Format.short(period)) epoch\(period == 1 ? "" : "s") is evaluated once per epoch (beta_granularity \"epoch\"), so training sees \(what); use beta_granularity \"step\" or \"auto\" to follow the cycle within epochs")
            }
            if messages.isEmpty, quantity.role == .klWeight, let message = Self.shortfall(quantity, over: window) { messages.append(message) }
            return messages.map { ScheduleWarning(subject: quantity.name, message: $0) }
        }
    }
}
