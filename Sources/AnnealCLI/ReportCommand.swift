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

    @Argument(help: ArgumentHelp("Run folders written by anneal train.", valueName: "run-dir"))
    var runs: [String]

    @Option(name: .long, help: ArgumentHelp("The HTML file (default: RUN_DIR/report.html for one run, report.html for several; - for standard output; missing folders are created).", valueName: "path"))
    var output: String?

    func validate() throws {
        if runs.isEmpty { throw ValidationError("give at least one run folder") }
    }

    func run() throws {
        let report: RunReport
        do {
            report = try RunReport(directories: runs)
        } catch {
            throw CommandFailure(error.description)
        }
        let path = output ?? (runs.count == 1 ? runs[0] + "/report.html" : "report.html")
        do {
            try OutputFile.write(report.html, to: path)
        } catch {
            throw CommandFailure(error.description)
        }
        if !OutputFile.isStandardOutput(path) { StandardError.print("wrote \(path)") }
    }
}
