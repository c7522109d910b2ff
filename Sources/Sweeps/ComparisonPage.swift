import Foundation
import RunLog
import Training

/// The comparison's pages: `comparison.html` (the tables and each group's curves averaged over its finished
/// seeds, one colour per group) and `report.html` (`anneal report`'s page over every finished trial, each
/// named by its readable link in `OUT/runs/`). Both are self-contained: inline SVG, no scripts.
public struct ComparisonPage {
    public var comparison: Comparison

    public init(comparison: Comparison) {
        self.comparison = comparison
    }

    /// The epoch-by-epoch mean over seeds of `values` (epochs some seeds lack use the others).
    static func meanCurve(_ curves: [[Double?]]) -> (x: [Double], y: [Double]) {
        let length = curves.map(\.count).max() ?? 0
        var x: [Double] = [], y: [Double] = []
        for epoch in 0..<length {
            let values = curves.compactMap { epoch < $0.count ? $0[epoch] : nil }.filter(\.isFinite)
            guard let mean = Statistics.mean(values) else { continue }
            x.append(Double(epoch))
            y.append(mean)
        }
        return (x, y)
    }

    func chart(_ title: String, _ yLabel: String, _ curves: (TrialResult) -> [(name: String, values: [Double?])]) -> String {
        var series: [LineChart.Series] = []
        for summary in comparison.summaries where !summary.results.isEmpty {
            var names: [String] = []
            for result in summary.results { for curve in curves(result) where !names.contains(curve.name) { names.append(curve.name) } }
            for (nameIndex, name) in names.enumerated() {
                let mean = Self.meanCurve(summary.results.compactMap { result in curves(result).first { $0.name == name }?.values })
                guard !mean.x.isEmpty else { continue }
                let label = names.count > 1 || !name.isEmpty ? "\(summary.group.label): \(name)" : summary.group.label
                series.append(LineChart.Series(name: names.count == 1 && name.isEmpty ? summary.group.label : label, x: mean.x, y: mean.y,
                                               style: (summary.groupIndex / LineChart.palette.count + nameIndex) % 4, colour: summary.groupIndex))
            }
        }
        return LineChart(title: title, subtitle: "mean over each schedule's finished seeds", xLabel: "epoch (0-based)",
                         panels: [LineChart.Panel(title: "", yLabel: yLabel, series: series)]).svg()
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func markdownTable(_ markdown: String) -> String {
        // Cells split at the pipes that are not escaped (a label may hold "\|").
        func cells(_ line: Substring) -> [String] {
            var result: [String] = [], current = "", escaped = false
            for character in line {
                if escaped { current.append(character); escaped = false; continue }
                if character == "\\" { current.append(character); escaped = true; continue }
                if character == "|" { result.append(current); current = "" } else { current.append(character) }
            }
            result.append(current)
            return result.dropFirst().dropLast().map { $0.trimmingCharacters(in: .whitespaces) }
        }
        let rows = markdown.split(separator: "\n").filter { !$0.hasPrefix("|---") }.map(cells)
        guard let header = rows.first else { return "" }
        func cell(_ text: String, _ tag: String) -> String {
            var escaped = Self.escape(text.replacingOccurrences(of: "\\|", with: "|"))
            while let start = escaped.range(of: "**"), let end = escaped.range(of: "**", range: start.upperBound..<escaped.endIndex) {
                escaped = escaped.replacingCharacters(in: start.lowerBound..<end.upperBound, with: "<strong>" + escaped[start.upperBound..<end.lowerBound] + "</strong>")
            }
            return "<\(tag)>\(escaped)</\(tag)>"
        }
        var html = "<table>\n<thead><tr>" + header.map { cell($0, "th") }.joined() + "</tr></thead>\n<tbody>\n"
        for row in rows.dropFirst() { html += "<tr>" + row.map { cell($0, "td") }.joined() + "</tr>\n" }
        return html + "</tbody>\n</table>\n"
    }

    /// `comparison.html`.
    public var html: String {
        let rows = comparison.summaries.map { summary -> [String] in
            [summary.group.label, summary.group.betaSummary, "\(summary.results.count) of \(summary.planned)", Comparison.format(summary.finalELBO), Comparison.format(summary.bestELBO)]
        }
        var sections: [HTMLReport.Section] = []
        sections.append(.init(title: "Results", note: "Mean ± standard deviation over seeds, validation split after the last epoch.",
                              figures: [Self.markdownTable(comparison.resultsTable)]))
        sections.append(.init(title: "Training dynamics, measured", note: Comparison.definitions.replacingOccurrences(of: "\n\n", with: " "),
                              figures: [Self.markdownTable(comparison.dynamicsTable)]))
        if let table = comparison.disentanglementTable {
            sections.append(.init(title: "Disentanglement", note: Comparison.disentanglementDefinitions, figures: [Self.markdownTable(table)]))
        }
        sections.append(.init(title: "Validation ELBO", figures: [chart("Validation ELBO", "nats per example") { [("", $0.validationCurve)] }]))
        sections.append(.init(title: "KL weights (β)", note: "At each epoch's start, per KL term.", figures: [chart("β", "weight") { $0.betaCurves }]))
        sections.append(.init(title: "Mutual information", note: "I(x; z) summed over KL terms.", figures: [chart("Mutual information", "nats") { [("", $0.mutualInformationCurve)] }]))
        sections.append(.init(title: "Active units", note: "Summed over KL terms.", figures: [chart("Active units", "units") { [("", $0.activeUnitsCurve)] }]))
        sections.append(.init(title: "Every trial", note: "report.html overlays every finished trial (anneal report over OUT/runs/*); tensorboard --logdir OUT/trials lines the trials up with their hyperparameters.",
                              figures: ["<p><a href=\"report.html\">report.html</a></p>\n"]))
        if !comparison.missing.isEmpty {
            sections.append(.init(title: "Missing (\(comparison.missing.count) of \(comparison.plan.trials.count))",
                                  figures: ["<ul>\n" + comparison.missing.map { "<li>\(Self.escape("\($0.trial.id) \(comparison.plan.groups[$0.trial.group].label), seed \($0.trial.seed): \($0.state)"))</li>" }.joined(separator: "\n") + "\n</ul>\n"]))
        }
        return HTMLReport(title: "Schedule comparison", summaryHeader: ["schedule", "β", "seeds", "final validation ELBO", "best validation ELBO"],
                          summaryRows: rows, sections: sections).html
    }
}
