import Foundation
import Testing

/// Headless Chromium for the screenshot test: ANNEAL_CHROMIUM (set by .ci/run) or `chromium` on the PATH.
let chromium: String? = {
    if let path = ProcessInfo.processInfo.environment["ANNEAL_CHROMIUM"], FileManager.default.isExecutableFile(atPath: path) { return path }
    for directory in ["/usr/bin", "/usr/local/bin"] where FileManager.default.isExecutableFile(atPath: directory + "/chromium") { return directory + "/chromium" }
    return nil
}()

@Suite("anneal report")
struct ReportCommandTests {
    static func trainedRun(_ name: String, schedule: String) throws -> String {
        let config = try AnnealProcess.writeConfig(#"""
        {"data": {"source": "shapes", "validation_fraction": 0.2}, "model": {"type": "vae", "hidden_sizes": [32], "latent_dim": 3},
         "training": {"num_epochs": 6, "batch_size": 128, \#(schedule)}}
        """#)
        let out = config.deletingLastPathComponent().appendingPathComponent(name).path
        let result = try AnnealProcess.run(["train", "--config", config.path, "--out", out])
        #expect(result.status == 0, "\(result.standardError)")
        return out
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (Int32, String) {
        let result = try AnnealProcess.run(executable: URL(fileURLWithPath: executable), arguments)
        return (result.status, result.standardOutput)
    }

    @Test("train writes report.html; report overlays several runs in one self-contained page")
    func report() throws {
        let warm = try Self.trainedRun("warm", schedule: #""beta_scheduler_type": "warm_restart", "beta_scheduler_params": {"base_scheduler_type": "linear", "base_scheduler_kwargs": {"warmup_epochs": 2}, "restart_interval": 3}"#)
        let cyclic = try Self.trainedRun("cyclic", schedule: #""beta_scheduler_type": "cyclical", "beta_scheduler_params": {"cycle_length": 3}"#)
        let single = try String(contentsOfFile: warm + "/report.html", encoding: .utf8)
        #expect(single.contains("↻ 3"))  // the restart marker
        for section in ["KL weights (β)", "ELBO", "KL per term", "KL per latent dimension", "Active units", "Learning rate"] {
            #expect(single.contains("<h2>\(section)</h2>"), "missing \(section)")
        }
        let output = URL(fileURLWithPath: warm).deletingLastPathComponent().appendingPathComponent("both.html").path
        let result = try AnnealProcess.run(["report", warm, cyclic, "--output", output])
        #expect(result.status == 0 && result.standardError.contains("wrote \(output)"))
        let html = try String(contentsOfFile: output, encoding: .utf8)
        #expect(html.contains("warm: beta") && html.contains("cyclic: beta"))
        #expect(html.components(separatedBy: "<svg").count - 1 >= 7)
        // Self-contained: the pictures of the image runs are embedded (data: URIs), nothing is fetched.
        #expect(!html.contains("<script") && !html.replacingOccurrences(of: " src=\"data:image/png;base64,", with: "").contains(" src=") && !html.contains(" href="))

        // A folder given as --output gets report.html inside (an existing one said "Not a directory").
        let folder = URL(fileURLWithPath: warm).deletingLastPathComponent().appendingPathComponent("reports").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for given in [folder, folder + "/new/"] {
            let written = try AnnealProcess.run(["report", warm, "--output", given])
            let path = (given.hasSuffix("/") ? String(given.dropLast()) : given) + "/report.html"
            #expect(written.status == 0 && written.standardError == "wrote \(path)\n" && FileManager.default.fileExists(atPath: path), "\(written.standardError)")
        }
        let missing = try AnnealProcess.run(["report", "/no/such/run"])
        #expect(missing.status == 1 && missing.standardError.contains("/no/such/run is not a run folder"))
    }

    @Test("the report is valid HTML and renders in a real browser: a headless Chromium screenshot is not blank",
          .enabled(if: html5Python != nil && chromium != nil, "needs Chromium and a Python with html5lib: .ci/run installs both"))
    func renders() throws {
        let run = try Self.trainedRun("render", schedule: #""beta_scheduler_type": "cyclical", "beta_scheduler_params": {"cycle_length": 3}"#)
        let screenshot = run + "/report.png"
        let (status, _) = try Self.run(chromium!, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1100,1800",
                                                   "--screenshot=\(screenshot)", "file://\(run)/report.html"])
        #expect(status == 0)
        let checker = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/check_report.py").path
        let (checkStatus, output) = try Self.run(html5Python!, [checker, run + "/report.html", screenshot])
        #expect(checkStatus == 0, "\(output)")
        let result = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
        #expect(result?["valid"] as? Bool == true, "\(result?["error"] ?? "")")
        #expect(result?["scripts"] as? Int == 0 && result?["external"] as? Int == 0)
        // The shapes are images: samples, reconstructions and the traversal are embedded.
        #expect(result?["embedded_images"] as? Int == 3)
        // Against a blank page rendered the same way, which inks nothing.
        let blank = run + "/blank.png"
        _ = try Self.run(chromium!, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1100,1800", "--screenshot=\(blank)", "about:blank"])
        let (_, blankOutput) = try Self.run(html5Python!, [checker, run + "/report.html", blank])
        let blankInk = (try JSONSerialization.jsonObject(with: Data(blankOutput.utf8)) as? [String: Any])?["inked_fraction"] as? Double ?? 1
        let ink = result?["inked_fraction"] as? Double ?? 0
        #expect(blankInk < 0.0001)
        #expect(ink > 0.005, "the screenshot is (nearly) blank: \(ink) of its pixels are inked")
    }
}
