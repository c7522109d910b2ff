import RunLog

/// Rewrites a training run's pictures (`RunPictures`) and report.html at each periodic checkpoint, so a user who
/// opens the report while the run trains sees the samples, reconstructions and traversal of the model as it is
/// (the checkpoint's epoch), beside the curves so far. The first failure to write is kept for the run's warnings;
/// training goes on (report.html is written again at the end).
final class ReportRefresher: TrainingObserver {
    let trainer: Trainer
    let directory: String
    /// Why a refresh failed, once; nil while they work.
    private(set) var failure: String?

    init(trainer: Trainer, directory: String) {
        self.trainer = trainer
        self.directory = directory
    }

    func checkpointSaved(path: String, reason: String) {
        guard reason == "periodic", failure == nil else { return }
        do {
            _ = try RunPictures.write(trainer, to: directory)
        } catch {
            failure = "the pictures were not updated at a checkpoint: \(error.description)"
            return
        }
        do {
            let report = try RunReport(directories: [directory])
            try AtomicFile.write(report.html, to: directory + "/report.html")
        } catch let error as AtomicFile.WriteError {
            failure = "report.html was not updated at a checkpoint: \(error.description)"
        } catch {
            failure = "report.html was not updated at a checkpoint: \(error)"
        }
    }
}
