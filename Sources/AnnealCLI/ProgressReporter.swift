import Dispatch
import Evaluation
import Foundation
import Schedules
import Training

/// Shows training progress. The record a user keeps (one line per finished epoch) goes to standard output;
/// the bar for the current epoch, redrawn in place when standard error is a terminal, goes to standard error
/// and is cut to the terminal's width so it never wraps. Epochs are 0-based everywhere, as in schedule tables,
/// metrics.jsonl and TensorBoard: "epoch 3 (4 of 24)".
final class ProgressReporter: TrainingObserver {
    let interactive: Bool
    var totalEpochs = 0
    var started: UInt64 = 0
    var lastDraw: UInt64 = 0
    var stepsDone = 0
    var barShown = false
    /// The quantity shown on the bar: the first KL weight (or capacity), with its symbol.
    let weightIndex: Int?
    let weightSymbol: String
    /// Quantities evaluated per step: their epoch line shows the epoch's mean rather than the start value.
    let perStep: Set<String>
    let write: (String) -> Void

    /// `write` receives the record lines (standard output in `anneal train`).
    init(interactive: Bool, quantities: QuantityPlan, write: @escaping (String) -> Void = StandardOutput.write) {
        self.interactive = interactive
        self.write = write
        weightIndex = quantities.quantities.firstIndex { $0.role == .klWeight || $0.role == .capacity }
        let name = weightIndex.map { quantities.quantities[$0].name } ?? "beta"
        weightSymbol = Self.symbol(name)
        perStep = Set(quantities.quantities.filter { $0.evaluation == .step || $0.controller != nil }.map(\.name))
    }

    /// Three decimals, and "nan" for any NaN (printf writes "-nan" for a negated one).
    /// Three decimals, or three significant digits in scientific form beyond a million (a diverging loss of
    /// 10²² printed 23 digits).
    static func number(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        return abs(value) >= 1e7 && value.isFinite ? String(format: "%.3e", value) : String(format: "%.3f", value)
    }

    static func symbol(_ name: String) -> String {
        name == "beta" ? "β" : name == "capacity" ? "C" : name.hasSuffix("_kl_weight") ? "β_" + name.dropLast("_kl_weight".count) : name
    }

    func trainingStarted(totalEpochs: Int, stepsPerEpoch: Int, startEpoch: Int) {
        self.totalEpochs = totalEpochs
        started = DispatchTime.now().uptimeNanoseconds
    }

    func stepFinished(_ step: StepMetrics) {
        stepsDone += 1
        guard interactive else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - lastDraw > 80_000_000 || step.batch == step.stepsPerEpoch else { return }
        lastDraw = now
        let fraction = Double(step.batch) / Double(step.stepsPerEpoch)
        let elapsed = Double(now - started) / 1e9
        let remainingSteps = Double((totalEpochs - step.epoch) * step.stepsPerEpoch - step.batch)
        let eta = stepsDone > 0 ? elapsed / Double(stepsDone) * remainingSteps : 0
        let weight = weightIndex.map { step.quantities[$0] } ?? 0
        let columns = Self.terminalColumns()
        let label = "epoch \(step.epoch) (\(step.epoch + 1) of \(totalEpochs)) "
        // Fields after the percentage, dropped from the least needed (the weight, then the KL) while the line
        // does not fit, so a narrow terminal never shows half a field.
        var fields = [String(format: " %3.0f%%", fraction * 100), String(format: "  loss %.3f", step.loss), String(format: "  kl %.3f", step.totalKL),
                      String(format: "  %@ %.4g", weightSymbol, weight), "  ETA " + Self.duration(eta)]
        for optional in [3, 2, 1] where label.count + fields.joined().count > columns - 1 { fields.remove(at: optional) }
        let details = fields.joined()
        // The bar takes what the label and details leave, between 10 and 24 cells; the line never wraps.
        let barWidth = max(0, min(24, columns - 1 - label.count - details.count))
        var text = label
        if barWidth >= 10 {
            let filled = Int(fraction * Double(barWidth))
            text += String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled)
        }
        text += details
        if text.count > columns - 1 { text = String(text.prefix(max(0, columns - 1))) }
        StandardError.write("\r\u{1B}[2K" + text)
        barShown = true
    }

    func epochFinished(_ metrics: EpochMetrics) {
        finishLine()
        var text = String(format: "epoch %d (%d of %d)", metrics.epoch, metrics.epoch + 1, totalEpochs)
        if let phase = metrics.phase { text += "  [\(phase)]" }
        text += "  loss \(Self.number(metrics.loss))  elbo \(Self.number(metrics.trainingELBO))"
        if let elbo = metrics.validationELBO { text += "  val elbo \(Self.number(elbo))" }
        text += "  kl " + metrics.kl.map { Self.number($0.value) }.joined(separator: "/")
        let means = Dictionary(metrics.quantityMeans.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        text += "  " + metrics.beta.map { entry in
            if perStep.contains(entry.name), let mean = means[entry.name] { return "\(Self.symbol(entry.name)) mean \(String(format: "%.4g", mean))" }
            return "\(Self.symbol(entry.name)) \(String(format: "%.4g", entry.value))"
        }.joined(separator: " ")
        if !metrics.activeUnits.isEmpty {
            // active/size per KL term: "active 6/8", or "active 4/4 8/8" for global and local.
            text += "  active " + zip(metrics.activeUnits, metrics.klPerDimension).map { "\($0.value)/\($1.values.count)" }.joined(separator: " ")
        }
        if !metrics.mutualInformation.isEmpty {
            text += "  mi " + metrics.mutualInformation.map { MutualInformation.brief($0.value, batchSize: metrics.mutualInformationBatch) }.joined(separator: "/")
        }
        if let whole = metrics.disentanglement.first {
            // logging.disentanglement_every's scores of the whole code: "MIG 0.084 SAP 0.031" (TC without factors).
            let shown = whole.figures.filter { $0.name == "mig" || $0.name == "sap" }
            let figures = shown.isEmpty ? whole.figures.filter { $0.name == "gaussian_total_correlation" } : shown
            text += "  " + figures.map { figure in
                (figure.name == "gaussian_total_correlation" ? "TC" : figure.name.uppercased()) + " " + (figure.value.map { String(format: "%.3f", $0) } ?? "–")
            }.joined(separator: " ")
        }
        if let coverage = metrics.coverage { text += String(format: "  coverage %.1f%%", 100 * coverage) }
        if let correlation = metrics.radialCorrelation { text += String(format: "  radial ρ %.2f", correlation) }
        if metrics.skippedSteps > 0 { text += "  skipped \(metrics.skippedSteps)" }
        text += String(format: "  (%.1f s)", metrics.seconds)
        write(text + "\n")
    }

    func checkpointSaved(path: String, reason: String) {
        if reason == "interrupted" {
            finishLine()
            StandardError.write("interrupted: saved \(path)\n")
        }
    }

    /// Ends a half-drawn bar so the next output starts on a clean line.
    func finishLine() {
        if barShown { StandardError.write("\r\u{1B}[2K") }
        barShown = false
    }

    /// The width of the terminal on standard error (80 when it cannot be told).
    static func terminalColumns() -> Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        return 80
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600 ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60) : String(format: "%d:%02d", total / 60, total % 60)
    }
}
