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
            return messages.map { ScheduleWarning(subject: quantity.name, message: $0) }
        }
    }
}
