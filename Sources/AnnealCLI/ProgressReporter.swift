import Dispatch
import Foundation
import Schedules
import Training

/// Shows training progress on standard error: on a terminal, a bar for the current epoch redrawn in place
/// (loss, KL, β, ETA) and a line per finished epoch; otherwise, only the line per epoch.
final class ProgressReporter: TrainingObserver {
    let interactive: Bool
    var totalEpochs = 0
    var startEpoch = 0
    var started: UInt64 = 0
    var lastDraw: UInt64 = 0
    var stepsDone = 0
    var stepsPerEpoch = 1
    var barShown = false
    /// The quantity shown on the bar: the first KL weight (or capacity), with its symbol.
    let weightIndex: Int?
    let weightSymbol: String

    init(interactive: Bool, quantities: QuantityPlan) {
        self.interactive = interactive
        weightIndex = quantities.quantities.firstIndex { $0.role == .klWeight || $0.role == .capacity }
        let name = weightIndex.map { quantities.quantities[$0].name } ?? "beta"
        weightSymbol = name == "beta" ? "β" : name == "capacity" ? "C" : "β_" + name.replacingOccurrences(of: "_kl_weight", with: "")
    }

    func trainingStarted(totalEpochs: Int, stepsPerEpoch: Int, startEpoch: Int) {
        self.totalEpochs = totalEpochs
        self.stepsPerEpoch = stepsPerEpoch
        self.startEpoch = startEpoch
        started = DispatchTime.now().uptimeNanoseconds
    }

    func stepFinished(_ step: StepMetrics) {
        let epoch = step.epoch, batch = step.batch, stepsPerEpoch = step.stepsPerEpoch
        let loss = step.loss, kl = step.totalKL, beta = weightIndex.map { step.quantities[$0] } ?? 0
        stepsDone += 1
        guard interactive else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - lastDraw > 80_000_000 || batch == stepsPerEpoch else { return }
        lastDraw = now
        let fraction = Double(batch) / Double(stepsPerEpoch)
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let elapsed = Double(now - started) / 1e9
        let remainingSteps = Double((totalEpochs - epoch) * stepsPerEpoch - batch)
        let eta = stepsDone > 0 ? elapsed / Double(stepsDone) * remainingSteps : 0
        let text = String(format: "epoch %d/%d %@ %3.0f%%  loss %.3f  kl %.3f  %@ %.4g  ETA %@", epoch + 1, totalEpochs, bar, fraction * 100, loss, kl, weightSymbol, beta, Self.duration(eta))
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + text).utf8))
        barShown = true
    }

    func epochFinished(_ metrics: EpochMetrics) {
        var text = String(format: "epoch %d/%d  loss %.3f  elbo %.3f", metrics.epoch + 1, totalEpochs, metrics.loss, metrics.trainingELBO)
        if let elbo = metrics.validationELBO { text += String(format: "  val elbo %.3f", elbo) }
        text += "  kl " + metrics.kl.map { String(format: "%.3f", $0.value) }.joined(separator: "/")
        text += "  " + metrics.beta.map { "\($0.name == "beta" ? "β" : $0.name) \(String(format: "%.4g", $0.value))" }.joined(separator: " ")
        if !metrics.activeUnits.isEmpty {
            // active/size per KL term: "active 6/8", or "active 4/4 8/8" for global and local.
            text += "  active " + zip(metrics.activeUnits, metrics.klPerDimension).map { "\($0.value)/\($1.values.count)" }.joined(separator: " ")
        }
        if metrics.skippedSteps > 0 { text += "  skipped \(metrics.skippedSteps)" }
        text += String(format: "  (%.1f s)", metrics.seconds)
        FileHandle.standardError.write(Data(((interactive ? "\r\u{1B}[2K" : "") + text + "\n").utf8))
        barShown = false
    }

    func checkpointSaved(path: String, reason: String) {
        if reason == "interrupted" {
            finishLine()
            FileHandle.standardError.write(Data("interrupted: saved \(path)\n".utf8))
        }
    }

    /// Ends a half-drawn bar so the next output starts on a clean line.
    func finishLine() {
        if barShown { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
        barShown = false
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600 ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60) : String(format: "%d:%02d", total / 60, total % 60)
    }
}
