import Foundation
import Testing
@testable import Training

@Suite("Run report")
struct RunReportTests {
    @Test("a β that changes within epochs is charted as each epoch's mean beside its start value; a per-epoch β as its value")
    func perStepWeights() throws {
        // Quarter-epoch cycles are evaluated per step (beta_granularity auto): every epoch starts at β = 0.
        let perStep = TrainingFixtures.temporaryDirectory() + "/run"
        _ = try TrainingRun.start(try TrainingFixtures.configuration(TrainingFixtures.small(epochs: 2, extra: #", "beta_scheduler_type": "cyclical", "beta_scheduler_params": {"cycle_length": 0.25}"#)), in: perStep).run()
        let html = try RunReport(directories: [perStep]).html
        #expect(html.contains("beta (epoch mean)") && html.contains("beta (epoch start)") && html.contains("The weights change within epochs"))
        let perEpoch = TrainingFixtures.temporaryDirectory() + "/run"
        _ = try TrainingRun.start(try TrainingFixtures.configuration(TrainingFixtures.small(epochs: 2, extra: #", "beta_scheduler_type": "linear", "beta_scheduler_params": {"warmup_epochs": 2}"#)), in: perEpoch).run()
        let plain = try RunReport(directories: [perEpoch]).html
        #expect(!plain.contains("epoch mean") && plain.contains("At each epoch's start"))
    }

    @Test("a run whose process died (kill -9) is shown as stopped without a clean exit, not running; a live holder as running; a finished run by its summary")
    func killedRunStatus() throws {
        let directory = TrainingFixtures.temporaryDirectory() + "/run"
        _ = try TrainingRun.start(try TrainingFixtures.configuration(TrainingFixtures.small(epochs: 1)), in: directory).run()
        #expect(try RunReport(directories: [directory]).runs[0].status == "completed")
        // kill -9 leaves the lock naming a process that is gone (2^22 + 7: above Linux's default pid_max).
        try #"{"host": "\#(RunFolderLock.hostName())", "pid": 4194311, "started": "2026-01-01T00:00:00Z", "command": "anneal train"}"#
            .write(toFile: directory + "/run.lock", atomically: true, encoding: .utf8)
        let report = try RunReport(directories: [directory])
        #expect(report.runs[0].status == "stopped without a clean exit (process 4194311 is gone)")
        #expect(report.html.contains("stopped without a clean exit (process 4194311 is gone)") && !report.html.contains(">running<"))
        // A live process on this host (this test's parent, which never exits before it) holds it: running.
        try #"{"host": "\#(RunFolderLock.hostName())", "pid": \#(getppid()), "started": "2026-01-01T00:00:00Z", "command": "anneal train"}"#
            .write(toFile: directory + "/run.lock", atomically: true, encoding: .utf8)
        #expect(try RunReport(directories: [directory]).runs[0].status == "running")
        // No lock and no summary: a run that never ended cleanly.
        try FileManager.default.removeItem(atPath: directory + "/run.lock")
        try FileManager.default.removeItem(atPath: directory + "/summary.json")
        #expect(try RunReport(directories: [directory]).runs[0].status == "stopped without a clean exit")
    }

    @Test("ten runs overlaid: every legend entry inside its panel, ten colours, and training dashed as the caption says (it was solid)")
    func manyRuns() throws {
        let configuration = try TrainingFixtures.configuration(TrainingFixtures.small(epochs: 2))
        var directories: [String] = []
        for index in 0..<10 {
            let directory = TrainingFixtures.temporaryDirectory() + "/class_\(index)"
            _ = try TrainingRun.start(configuration, in: directory).run()
            directories.append(directory)
        }
        let html = try RunReport(directories: directories).html
        #expect(html.contains("Training ELBO (dashed) and validation ELBO"))
        let elbo = try #require(html.components(separatedBy: "<svg").first { $0.contains("<title>ELBO</title>") })
        // Each polyline's colour and dash: the ten runs' training lines dashed, their validation lines solid.
        let lines = elbo.components(separatedBy: "<polyline").dropFirst()
        #expect(lines.count == 20)
        #expect(lines.filter { $0.contains("stroke-dasharray") }.count == 10)
        let colours = Set(lines.compactMap { line -> String? in
            guard let range = line.range(of: ##"stroke="#[0-9A-F]{6}""##, options: .regularExpression) else { return nil }
            return String(line[range])
        })
        #expect(colours.count == 10, "\(colours)")
        // The panel's frame and the last legend entry: the entry sits inside the frame.
        func number(after marker: String, in text: String) -> Double? {
            guard let range = text.range(of: marker) else { return nil }
            return Double(text[range.upperBound...].prefix { $0 != "\"" })
        }
        let frameTop = try #require(number(after: "<rect x=\"78.00\" y=\"", in: elbo))
        let frameHeight = try #require(number(after: "height=\"", in: String(elbo[elbo.range(of: "<rect x=\"78.00\"")!.lowerBound...])))
        let lastEntry = try #require(elbo.range(of: "class_9: validation"))
        let entryY = try #require(number(after: " y=\"", in: String(elbo[..<lastEntry.lowerBound].suffix(80))))
        #expect(entryY <= frameTop + frameHeight, "legend entry at \(entryY), panel \(frameTop)…\(frameTop + frameHeight)")
    }
}
