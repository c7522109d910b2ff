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

    /// Exact values (shortest round-trip spelling), one row per epoch or step.
    func csv() -> String {
        CSVTable(header: table.columns, rows: table.rows.map { $0.map(\.exactText) }).text
    }

    /// `{"config": …, "num_epochs": …, "steps_per_epoch": …, "warnings": […], "rows": [{column: value}, …]}`.
    func json() -> String {
        let rows: [JSONValue] = table.rows.map { row in
            .object(zip(table.columns, row).map { column, cell in
                let value: JSONValue
                switch cell {
                case .integer(let number): value = .number(number)
                case .number(let number): value = .number(number)
                case .bool(let flag): value = .bool(flag)
                case .none: value = .null
                }
                return (column, value)
            })
        }
        let warnings = configuration.beta.warnings(over: table.window) + (configuration.learningRate?.warnings(over: table.window) ?? [])
        let document = JSONValue.object([
            ("config", configuration.json),
            ("num_epochs", .number(table.window.numEpochs)),
            ("steps_per_epoch", .number(table.window.stepsPerEpoch)),
            ("warnings", .array(warnings.map { .string($0.description) })),
            ("rows", .array(rows)),
        ])
        return JSONWriter.pretty(document)
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
