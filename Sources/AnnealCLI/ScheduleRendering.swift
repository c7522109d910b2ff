import Foundation
import JSONConfig
import RunLog
import Schedules

/// Renders a schedule table as an aligned text table, CSV, JSON or an SVG plot.
struct ScheduleRendering {
    var configuration: ScheduleConfiguration
    var table: ScheduleTable
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
                text += cell.exactText
            }
            text += "\n"
        }
        return text
    }

    /// `{"config": …, "num_epochs": …, "steps_per_epoch": …, "warnings": […], "rows": [{column: value}, …]}`,
    /// one row object per line. Rows are written as text directly: a tree of values for a million rows would
    /// cost gigabytes.
    func json() -> String {
        let warnings = configuration.warnings(over: table.window)
        let head = JSONWriter.pretty(.object([
            ("config", configuration.json),
            ("num_epochs", .number(table.window.numEpochs)),
            ("steps_per_epoch", .number(table.window.stepsPerEpoch)),
            ("warnings", .array(warnings.map { .string($0.description) })),
        ]))
        var text = String(head.dropLast(3))  // reopen the object: drop "\n}\n"
        text += ",\n  \"rows\": ["
        text.reserveCapacity(text.utf8.count + table.rows.count * (table.columns.count * 24 + 8))
        let keys = table.columns.map { JSONWriter.quoted($0) + ": " }
        for (rowIndex, row) in table.rows.enumerated() {
            text += rowIndex == 0 ? "\n    {" : ",\n    {"
            for (index, cell) in row.enumerated() {
                if index > 0 { text += ", " }
                text += keys[index]
                text += cell == .none ? "null" : cell.exactText
            }
            text += "}"
        }
        text += table.rows.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return text
    }

    /// β curves on top, the learning rate below (when configured), restarts as dashed vertical lines.
    func svg() -> String {
        let x = table.numbers("epoch") ?? []
        let beta = configuration.beta
        var panels = [
            LineChart.Panel(
                title: beta.layout == .single ? "β (KL weight)" : "KL weights",
                yLabel: beta.layout == .single ? "β" : "weight",
                series: beta.reportedNames.map { LineChart.Series(name: $0, x: x, y: table.numbers($0) ?? []) })
        ]
        if let learningRate = configuration.learningRate {
            panels.append(LineChart.Panel(
                title: "learning rate", yLabel: "learning rate",
                series: [LineChart.Series(name: "lr", x: x, y: table.numbers("lr") ?? [])]))
        }
        let name = URL(fileURLWithPath: configPath).lastPathComponent
        let granularity = table.window.stepsPerEpoch > 1 ? "per step, \(table.window.stepsPerEpoch) steps per epoch" : "per epoch"
        let chart = LineChart(
            title: "\(name): \(beta.typeName) β schedule",
            subtitle: subtitle(granularity: granularity),
            xLabel: "epoch (0-based)" + (table.restartEpochs.isEmpty ? "" : "; dashed lines: warm restarts"),
            panels: panels,
            markers: table.restartEpochs.map { LineChart.Marker(x: Double($0), label: "↻ \($0)") })
        return chart.svg()
    }

    /// One line per KL term and for the learning rate, then the run's shape.
    private func subtitle(granularity: String) -> String {
        let beta = configuration.beta
        var lines = beta.layout == .single
            ? ["β: \(beta.terms[0].schedule.summary)"]
            : beta.terms.indices.map { "\(beta.reportedName(ofTerm: $0)): \(beta.terms[$0].schedule.summary)" }
        if let learningRate = configuration.learningRate { lines.append("lr: \(learningRate.summary)") }
        lines.append("\(table.window.numEpochs) epochs, evaluated \(granularity)")
        return lines.joined(separator: "\n")
    }
}
