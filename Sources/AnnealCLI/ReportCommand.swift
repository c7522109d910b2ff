import ArgumentParser
import Foundation
import RunLog
import Training

/// `anneal report`: one self-contained HTML page for one or more runs.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report (inline SVG, no network) of one or more runs, overlaid for comparison."
    )

    @Argument(help: ArgumentHelp("Run folders written by anneal train (a per-class or per-group set stands for its generators).", valueName: "run-dir"))
    var runs: [String]

    @Option(name: .long, help: ArgumentHelp("The HTML file (default: RUN_DIR/report.html for one run, report.html for several; a folder gets report.html inside; - for standard output; missing folders are created).", valueName: "path"))
    var output: String?

    func validate() throws {
        if runs.isEmpty { throw ValidationError("give at least one run folder") }
    }

    func run() throws {
        let report: RunReport
        do {
            // A per-class or per-group set is its generators, overlaid (the set's own report.html is the same).
            var directories: [String] = []
            for run in runs {
                guard GeneratorSet.holdsSet(run) else {
                    directories.append(run)
                    continue
                }
                let started = try GeneratorSet.members(ofSet: run).filter { FileManager.default.fileExists(atPath: $0.directory + "/metrics.jsonl") }
                if started.isEmpty {
                    throw CommandFailure("\(run) holds a set of generators, none of which has finished an epoch yet: nothing to report (continue it with anneal train --resume \(run))")
                }
                directories += started.map(\.directory)
            }
            report = try RunReport(directories: directories)
        } catch let failure as CommandFailure {
            throw failure
        } catch let error as TrainingError {
            throw CommandFailure(error.description)
        } catch {
            throw CommandFailure("\(error)")
        }
        var path = output ?? (runs.count == 1 ? runs[0] + "/report.html" : "report.html")
        // A folder (existing, or named with a trailing slash) gets report.html inside it.
        var isDirectory: ObjCBool = false
        if let output, !OutputFile.isStandardOutput(output),
           output.hasSuffix("/") || (FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory) && isDirectory.boolValue) {
            path = (output.hasSuffix("/") ? String(output.dropLast()) : output) + "/report.html"
        }
        do {
            try OutputFile.write(report.html, to: path)
        } catch {
            throw CommandFailure(error.description)
        }
        if !OutputFile.isStandardOutput(path) { StandardError.print("wrote \(path)") }
    }
}
