import Foundation
import JSONConfig
import RunLog
import Schedules

/// Renders a schedule table as an aligned text table, CSV, JSON or an SVG plot.
struct ScheduleRendering {
    var plan: QuantityPlan
    var table: ScheduleTable
    var configJSON: JSONValue
    var warnings: [ScheduleWarning]
    var configPath: String

    func render(_ format: ScheduleOutputFormat) -> String {
        switch format {
        case .table: return textTable()
        case .csv: return csv()
        case .json: return json()
        case .svg: return svg()
        }
    }

    /// Columns padded to their widest cell, numbers to 6 significant digits.
    func textTable() -> String {
        let cells = table.rows.map { $0.map(\.shortText) }
        var widths = table.columns.map(\.count)
        for row in cells {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ fields: [String]) -> String {
            fields.enumerated().map { index, field in
                String(repeating: " ", count: widths[index] - field.count) + field
            }.joined(separator: "  ") + "\n"
        }
        var text = line(table.columns)
        for row in cells { text += line(row) }
        return text
    }

    /// Exact values (shortest round-trip spelling), one row per epoch or step. Written straight into one
    /// string: the cells are numbers and column names are identifiers, so nothing needs quoting.
    func csv() -> String {
        var text = CSVTable.line(table.columns)
        text.reserveCapacity(table.rows.count * (table.columns.count * 12 + 1))
        for row in table.rows {
            for (index, cell) in row.enumerated() {
                if index > 0 { text += "," }
                if case .text(let name) = cell { text += CSVTable.field(name) } else { text += cell.exactText }
            }
            text += "\n"
        }
        return text
    }

    /// `{"config": …, "num_epochs": …, "steps_per_epoch": …, "warnings": […], "rows": [{column: value}, …]}`,
    /// one row object per line. Rows are written as text directly: a tree of values for a million rows would
    /// cost gigabytes.
    func json() -> String {
        let head = JSONWriter.pretty(.object([
            ("config", configJSON),
            ("num_epochs", .number(table.window.numEpochs)),
            ("steps_per_epoch", .number(table.window.stepsPerEpoch)),
            ("warnings", .array(warnings.map { .string($0.description) })),
        ]))
        var text = String(head.dropLast(3))  // reopen the object: drop "\n}\n"
        text += ",\n  \"rows\": ["
        text.reserveCapacity(text.utf8.count + table.rows.count * (table.columns.count * 24 + 8))
        let keys = table.columns.map { MessageText.quoted($0) + ": " }
        for (rowIndex, row) in table.rows.enumerated() {
            text += rowIndex == 0 ? "\n    {" : ",\n    {"
            for (index, cell) in row.enumerated() {
                if index > 0 { text += ", " }
                text += keys[index]
                switch cell {
                case .none: text += "null"
                case .text(let name): text += MessageText.quoted(name)
                default: text += cell.exactText
                }
            }
            text += "}"
        }
        text += table.rows.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return text
    }

    /// KL weights (and capacity) on top, then the learning rate, then the other quantities; restarts as dashed
    /// vertical lines. A quantity whose controller replaces its schedule has no curve before training.
    func svg() -> String {
        let x = table.numbers("epoch") ?? []
        let drawn = table.quantities.filter { quantity in quantity.controller?.readsSchedule ?? true }
        func series(_ quantities: [Quantity]) -> [LineChart.Series] {
            quantities.map { LineChart.Series(name: $0.name, x: x, y: table.numbers($0.name) ?? []) }
        }
        let weights = drawn.filter { $0.role == .klWeight || $0.role == .capacity }
        let rates = drawn.filter { $0.role == .learningRate }
        let others = drawn.filter { $0.role == .temperature || $0.role == .lossWeight }
        var panels: [LineChart.Panel] = []
        if !weights.isEmpty {
            let single = weights.count == 1 && weights[0].name == "beta"
            panels.append(LineChart.Panel(title: single ? "β (KL weight)" : weights.contains { $0.role == .capacity } ? "capacity (nats)" : "KL weights",
                                          yLabel: single ? "β" : "weight", series: series(weights)))
        }
        if !rates.isEmpty { panels.append(LineChart.Panel(title: "learning rate", yLabel: "learning rate", series: series(rates))) }
        if !others.isEmpty { panels.append(LineChart.Panel(title: "other quantities", yLabel: "value", series: series(others))) }
        let name = URL(fileURLWithPath: configPath).lastPathComponent
        let granularity = table.rowsPerStep ? "per step, \(table.window.stepsPerEpoch) steps per epoch" : table.window.stepsPerEpoch > 1 ? "per epoch (at each epoch's first of \(table.window.stepsPerEpoch) steps)" : "per epoch"
        let main = plan.quantities.first { $0.role == .klWeight || $0.role == .capacity }
        let chart = LineChart(
            title: "\(name): \(main.map { $0.schedule.typeName } ?? "quantity") schedule",
            subtitle: subtitle(granularity: granularity),
            xLabel: "epoch (0-based)" + (table.restartEpochs.isEmpty && table.phaseStarts.isEmpty ? "" : "; dashed lines: \([table.restartEpochs.isEmpty ? nil : "warm restarts", table.phaseStarts.isEmpty ? nil : "phase starts"].compactMap { $0 }.joined(separator: ", "))"),
            panels: panels,
            markers: table.restartEpochs.map { LineChart.Marker(x: Double($0), label: "↻ \($0)") }
                + table.phaseStarts.map { LineChart.Marker(x: Double($0.epoch), label: $0.name) })
        return chart.svg()
    }

    /// One line per quantity, then the run's shape.
    private func subtitle(granularity: String) -> String {
        var lines = plan.quantities.map { "\($0.name): \($0.summary)" }
        lines.append("\(table.window.numEpochs) epochs, evaluated \(granularity)")
        return lines.joined(separator: "\n")
    }
}
