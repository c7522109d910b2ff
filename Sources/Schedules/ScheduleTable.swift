/// The values of a run's quantities, one row per epoch (or per step), as `anneal schedule` prints them and as
/// training logs them.
///
/// Columns: `step` (per-step tables only), `epoch` (0-based; fractional per step), the KL weights (`beta`, or
/// `global_kl_weight` and `local_kl_weight`, or `<name>_kl_weight`) and `capacity`, the four restart columns
/// for each quantity with warm restarts (prefixed `<term>_` when several have them), then `lr`, `temperature`
/// and the loss weights (`<term>_weight`). Each quantity is evaluated as the run evaluates it: one evaluated
/// per epoch holds its epoch-start value on every step row. A quantity whose feedback controller replaces its
/// schedule (PI, GECO) has no value before training (an empty cell); one whose controller scales its schedule
/// (homeostatic) shows the schedule, its value before any feedback.
public struct ScheduleTable: Sendable {
    /// One cell of the table.
    public enum Cell: Hashable, Sendable {
        case integer(Int)
        case number(Double)
        case bool(Bool)
        /// A name (the phase).
        case text(String)
        /// No value (a next restart that never comes; a controlled quantity; an epoch before the first phase).
        case none
    }

    public var columns: [String]
    public var rows: [[Cell]]
    /// Epochs where a restart happens, per quantity that has restarts (for plot markers).
    public var restartEpochs: [Int]
    public var window: RunWindow
    /// Whether there is a row per step (else per epoch).
    public var rowsPerStep: Bool
    /// The quantities, in column order.
    public var quantities: [Quantity]

    /// The table for `configuration`'s quantities over `window`.
    public init(configuration: ScheduleConfiguration, window: RunWindow) {
        self.init(plan: (try? configuration.quantities()) ?? configuration.scheduledQuantities, window: window)
    }

    /// The table for `plan` over `window`: per-step rows when `rowsPerStep` (by default when
    /// `window.stepsPerEpoch > 1`), else one row per epoch, each quantity read at the epoch's first step of a run
    /// of `window.stepsPerEpoch` steps an epoch.
    public init(plan: QuantityPlan, window: RunWindow, rowsPerStep: Bool? = nil) {
        self.window = window
        let first = plan.quantities.filter { $0.role == .klWeight || $0.role == .capacity }
        let rest = plan.quantities.filter { $0.role != .klWeight && $0.role != .capacity }
        quantities = first + rest
        let restarts = ScheduleTable.restartColumns(of: quantities)
        let perStep = rowsPerStep ?? (window.stepsPerEpoch > 1)
        self.rowsPerStep = perStep

        var columns: [String] = perStep ? ["step", "epoch"] : ["epoch"]
        columns += first.map(\.name)
        for entry in restarts { columns += entry.columns }
        columns += rest.map(\.name)
        if plan.phases != nil { columns.append("phase") }
        self.columns = columns

        var rows: [[Cell]] = []
        rows.reserveCapacity(window.numEpochs * window.stepsPerEpoch)
        let quantities = self.quantities
        for epoch in 0..<window.numEpochs {
            for batch in 0..<(perStep ? window.stepsPerEpoch : 1) {
                let progress = TrainingProgress.batch(batch, ofEpoch: epoch, stepsPerEpoch: window.stepsPerEpoch)
                var row: [Cell] = perStep ? [.integer(progress.step), .number(progress.epoch)] : [.integer(epoch)]
                func cell(_ quantity: Quantity) -> Cell {
                    if let controller = quantity.controller, !controller.readsSchedule { return .none }
                    return .number(quantity.scheduledValue(at: progress))
                }
                for quantity in quantities.prefix(first.count) { row.append(cell(quantity)) }
                for entry in restarts {
                    let info = quantities[entry.quantity].schedule.restartInfo(at: quantities[entry.quantity].evaluation.progress(progress))!
                    let values = info.columnValues
                    row.append(.integer(info.lastRestartEpoch))
                    row.append(perStep ? .number(values[1]!) : .integer(Int(values[1]!)))
                    row.append(values[2].map { .integer(Int($0)) } ?? .none)
                    row.append(.bool(values[3] == 1))
                }
                for quantity in quantities.dropFirst(first.count) { row.append(cell(quantity)) }
                if let phases = plan.phases { row.append(phases.phase(atEpoch: epoch).map { .text($0.name) } ?? .none) }
                rows.append(row)
            }
        }
        self.rows = rows
        restartEpochs = Array(Set(restarts.flatMap { quantities[$0.quantity].schedule.restartEpochs(before: window.numEpochs) })).sorted()
        phaseStarts = (plan.phases?.phases ?? []).filter { $0.startEpoch < window.numEpochs }.map { (epoch: $0.startEpoch, name: $0.name) }
    }

    /// Where each phase begins (for plot markers), when the run has phases.
    public var phaseStarts: [(epoch: Int, name: String)] = []

    /// The restart columns, in seed 000's order plus `next_restart_epoch`.
    public static let restartColumns = ["last_restart_epoch", "epochs_since_restart", "next_restart_epoch", "is_restart_epoch"]

    /// For each quantity with warm restarts (and no controller replacing its schedule), its index in
    /// `quantities` and its four restart column names: unprefixed when one quantity restarts,
    /// `<term>_last_restart_epoch`, … (the KL term's name, or the quantity's) when several do. TensorBoard's
    /// `Beta_Schedule/Restart/<column>` tags use the same names.
    public static func restartColumns(of quantities: [Quantity]) -> [(quantity: Int, columns: [String])] {
        let indices = quantities.indices.filter { index in
            quantities[index].schedule.hasRestarts && (quantities[index].controller.map(\.readsSchedule) ?? true)
        }
        return indices.map { index in
            let prefix = indices.count > 1 ? "\(quantities[index].term ?? quantities[index].name)_" : ""
            return (index, restartColumns.map { prefix + $0 })
        }
    }

    /// The values of column `name` as numbers (booleans as 0/1, missing values as NaN), for plotting.
    public func numbers(_ name: String) -> [Double]? {
        guard let index = columns.firstIndex(of: name) else { return nil }
        return rows.map { row in
            switch row[index] {
            case .integer(let value): return Double(value)
            case .number(let value): return value
            case .bool(let value): return value ? 1 : 0
            case .text, .none: return .nan
            }
        }
    }
}

extension ScheduleTable.Cell {
    /// Exact text: integers as integers, numbers in Swift's shortest round-trip form, `true`/`false`, and
    /// an empty string for no value. Reading the text back gives the same Double.
    public var exactText: String {
        switch self {
        case .integer(let value): return String(value)
        case .number(let value): return Format.number(value)
        case .bool(let value): return value ? "true" : "false"
        case .text(let value): return value
        case .none: return ""
        }
    }

    /// Text for people: at most 6 significant digits.
    public var shortText: String {
        switch self {
        case .number(let value): return Format.short(value, digits: 6)
        case .none: return "-"
        default: return exactText
        }
    }
}
