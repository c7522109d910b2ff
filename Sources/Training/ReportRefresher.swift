import Foundation
import RunLog

/// Rewrites a training run's pictures (`RunPictures`) and report.html at the periodic checkpoints between epochs,
/// so a user who opens the report while the run trains sees the samples, reconstructions and traversal of the
/// model as it is, beside the curves so far, with the run shown as running (not the last session's ending). A
/// rewrite is skipped while the time since the last one is under `overheadLimit`⁻¹ times what it took (at most
/// a twentieth of the training time goes to it). The first failure to write is kept for the run's warnings;
/// training goes on (report.html is written again at the end).
final class ReportRefresher: TrainingObserver {
    let trainer: Trainer
    let directory: String
    /// The largest share of the time a rewrite may take (1/20); `.infinity` for a rewrite at every checkpoint.
    var overheadLimit = 0.05
    /// Why a rewrite failed, once; nil while they work.
    private(set) var failure: String?
    private var lastFinished: UInt64 = 0
    private var lastDuration: UInt64 = 0

    init(trainer: Trainer, directory: String) {
        self.trainer = trainer
        self.directory = directory
    }

    func checkpointSaved(path: String, reason: String) {
        guard reason == "periodic" else { return }
        let started = DispatchTime.now().uptimeNanoseconds
        if lastFinished > 0, Double(lastDuration) > overheadLimit * Double(started - lastFinished) { return }
        defer {
            lastFinished = DispatchTime.now().uptimeNanoseconds
            lastDuration = lastFinished - started
        }
        do {
            _ = try RunPictures.write(trainer, to: directory)
        } catch {
            if failure == nil { failure = "the pictures were not updated at a checkpoint: \(error.description)" }
        }
        do {
            var report = try RunReport(directories: [directory])
            // This process holds the folder: the run is training, whatever an earlier session's summary.json says.
            report.runs[0].holder = .running("pid \(getpid())")
            report.runs[0].summary = nil
            try AtomicFile.write(report.html, to: directory + "/report.html")
        } catch let error as AtomicFile.WriteError {
            if failure == nil { failure = "report.html was not updated at a checkpoint: \(error.description)" }
        } catch {
            if failure == nil { failure = "report.html was not updated at a checkpoint: \(error)" }
        }
    }
}
