import Foundation
import RunLog
import Training

extension Comparison {
    /// The readable link name of each trial in `OUT/runs/`: `<group slug>-seed<s>`, with the id's first six
    /// digits added if two groups' slugs coincide.
    public var linkNames: [String: String] {
        var names: [String: String] = [:]
        var used: [String: Int] = [:]
        for trial in plan.trials { used["\(plan.groups[trial.group].slug)-seed\(trial.seed)", default: 0] += 1 }
        for trial in plan.trials {
            let base = "\(plan.groups[trial.group].slug)-seed\(trial.seed)"
            names[trial.id] = used[base]! > 1 ? base + "-" + trial.id.prefix(6) : base
        }
        return names
    }

    /// Writes `comparison.md`, `comparison.csv`, `trials.csv`, `comparison.html`, the links in `runs/` and
    /// `report.html` into the comparison's folder, each atomically. Returns the problems that did not stop
    /// it (a link or the overlay report that could not be made).
    @discardableResult
    public func write(to folder: SweepFolder) throws(AtomicFile.WriteError) -> [String] {
        var warnings: [String] = []
        try AtomicFile.write(markdown, to: folder.root + "/comparison.md")
        try AtomicFile.write(csv, to: folder.root + "/comparison.csv")
        try AtomicFile.write(trialsCSV, to: folder.root + "/trials.csv")
        try AtomicFile.write(ComparisonPage(comparison: self).html, to: folder.root + "/comparison.html")
        try AtomicFile.createDirectory(folder.runsPath)
        let names = linkNames
        var finishedLinks: [String] = []
        for trial in plan.trials where FileManager.default.fileExists(atPath: folder.trialDirectory(trial.id)) {
            let link = folder.runsPath + "/" + names[trial.id]!
            let target = "../trials/" + trial.id
            if (try? FileManager.default.destinationOfSymbolicLink(atPath: link)) != target {
                try? FileManager.default.removeItem(atPath: link)
                if symlink(target, link) != 0 && errno != EEXIST {
                    warnings.append("cannot link \(link) → \(target): \(String(cString: strerror(errno)))")
                }
            }
            if summaries[trial.group].results.contains(where: { $0.id == trial.id }) { finishedLinks.append(link) }
        }
        if !finishedLinks.isEmpty {
            do {
                try AtomicFile.write(try RunReport(directories: finishedLinks).html, to: folder.root + "/report.html")
            } catch let error as AtomicFile.WriteError {
                throw error
            } catch {
                warnings.append("report.html was not written: \(error)")
            }
        }
        return warnings
    }
}
