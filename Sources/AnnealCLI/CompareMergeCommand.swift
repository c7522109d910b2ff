import ArgumentParser
import Foundation
import Sweeps

/// `anneal compare merge DIR`: the comparison's tables and pages from whatever trials have finished.
struct CompareMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Build a comparison's tables and pages from whatever trials have finished, and say what is missing.",
        discussion: """
            DIR is a folder written by anneal compare (with or without --shard): its plan.json lists the trials, \
            and each finished trial's OUT/trials/<id>/result.json holds its numbers, so merging is the same \
            whichever process or machine ran each trial. Writes DIR/comparison.md (also printed), \
            comparison.csv, trials.csv, comparison.html and report.html; lists the missing trials with their \
            state (running, interrupted and resumable, failed, not started) on standard error. Exit status 0 \
            even when trials are missing.
            """
    )

    @Argument(help: ArgumentHelp("The comparison's folder (anneal compare --out).", valueName: "dir"))
    var directory: String

    func run() throws {
        let folder = SweepFolder(directory)
        guard FileManager.default.fileExists(atPath: folder.planPath) else {
            throw CommandFailure("\(folder.planPath): no such file; \(directory) is not a folder written by anneal compare")
        }
        let plan: SweepPlan
        do { plan = try SweepPlan.load(folder.planPath) } catch { throw CommandFailure(error.description) }
        let comparison = Comparison(plan: plan, folder: folder)
        do {
            for warning in try comparison.write(to: folder) { StandardError.print("warning: \(warning)") }
        } catch {
            throw CommandFailure(error.description)
        }
        StandardOutput.write(comparison.resultsTable + "\n" + comparison.dynamicsTable + (comparison.disentanglementTable.map { "\n" + $0 } ?? ""))
        if comparison.missing.isEmpty {
            StandardError.print("all \(plan.trials.count) trials finished; wrote \(directory)/comparison.md, comparison.csv, trials.csv, comparison.html, report.html")
        } else {
            StandardError.print("\(comparison.finishedCount) of \(plan.trials.count) trials finished; missing:")
            for (trial, state) in comparison.missing { StandardError.print("  \(trial.id) \(plan.groups[trial.group].label), seed \(trial.seed): \(state)") }
            StandardError.print("wrote \(directory)/comparison.md, comparison.csv, trials.csv, comparison.html\(comparison.finishedCount > 0 ? ", report.html" : "") from the finished trials")
        }
    }
}
