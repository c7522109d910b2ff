/// The values of a schedule configuration over a run, one row per epoch (or per step), as
/// `anneal schedule` prints them and as training logs them at each epoch's start.
///
/// Columns: `step` (per-step tables only), `epoch` (0-based; fractional per step), one weight column per KL
/// term (`beta`, or `global_kl_weight` and `local_kl_weight`, or `<name>_kl_weight`), the four restart
/// columns for each term with warm restarts (prefixed `<term>_` when several terms have them), and `lr`
/// when a learning-rate schedule is configured.
public struct ScheduleTable: Sendable {
    /// One cell of the table.
    public enum Cell: Hashable, Sendable {
        case integer(Int)
        case number(Double)
        case bool(Bool)
        /// No value (a next restart that never comes).
        case none
    }

    public var columns: [String]
    public var rows: [[Cell]]
    /// Epochs where a restart happens, per term that has restarts (for plot markers).
    public var restartEpochs: [Int]
    public var window: RunWindow

    /// The table for `configuration` over `window`. Per-step rows when `window.stepsPerEpoch > 1`.
    public init(configuration: ScheduleConfiguration, window: RunWindow) {
        self.window = window
        let beta = configuration.beta
        let restartColumns = ScheduleTable.restartColumns(of: beta)
        let restartTerms = restartColumns.map(\.term)
        let perStep = window.stepsPerEpoch > 1

        var columns: [String] = perStep ? ["step", "epoch"] : ["epoch"]
        columns += beta.reportedNames
        for entry in restartColumns { columns += entry.columns }
        if configuration.learningRate != nil { columns.append("lr") }
        self.columns = columns

        var rows: [[Cell]] = []
        rows.reserveCapacity(window.numEpochs * window.stepsPerEpoch)
        for epoch in 0..<window.numEpochs {
            for batch in 0..<window.stepsPerEpoch {
                let progress = TrainingProgress.batch(batch, ofEpoch: epoch, stepsPerEpoch: window.stepsPerEpoch)
                var row: [Cell] = perStep ? [.integer(progress.step), .number(progress.epoch)] : [.integer(epoch)]
                for term in beta.terms { row.append(.number(term.schedule.value(at: progress))) }
                for index in restartTerms {
                    let info = beta.terms[index].schedule.restartInfo(at: progress)!
                    row.append(.integer(info.lastRestartEpoch))
                    row.append(perStep ? .number(info.epochsSinceRestart) : .integer(Int(info.epochsSinceRestart)))
                    row.append(info.nextRestartEpoch.map(Cell.integer) ?? .none)
                    row.append(.bool(info.isRestartEpoch))
                }
                if let learningRate = configuration.learningRate { row.append(.number(learningRate.value(at: progress))) }
                rows.append(row)
            }
        }
        self.rows = rows
        restartEpochs = Array(Set(restartTerms.flatMap { beta.terms[$0].schedule.restartEpochs(before: window.numEpochs) })).sorted()
    }

    /// The restart columns, in seed 000's order plus `next_restart_epoch`.
    public static let restartColumns = ["last_restart_epoch", "epochs_since_restart", "next_restart_epoch", "is_restart_epoch"]

    /// For each KL term with warm restarts, its index and its four restart column names: unprefixed when one
    /// term restarts, `<term>_last_restart_epoch`, … when several do. TensorBoard's `Beta_Schedule/Restart/<column>`
    /// tags use the same names.
    public static func restartColumns(of beta: KLWeightSchedule) -> [(term: Int, columns: [String])] {
        let terms = beta.terms.indices.filter { beta.terms[$0].schedule.hasRestarts }
        return terms.map { index in
            let prefix = terms.count > 1 ? "\(beta.terms[index].name)_" : ""
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
            case .none: return .nan
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
