import Foundation
import JSONConfig
import RunLog
import Testing
@testable import Sweeps

@Suite("Comparison")
struct ComparisonTests {
    /// Two groups × two seeds; three trials finished, one missing.
    static func folder() throws -> (SweepFolder, SweepPlan) {
        let folder = SweepFolder(SweepFixtures.temporaryDirectory())
        let groups = [TrialGroup(label: "linear", schedule: "linear", settings: [], betaSummary: "linear warm-up"),
                      TrialGroup(label: "cyclical", schedule: "cyclical", settings: [], betaSummary: "cosine wave")]
        let trials = [Trial(id: "aaaaaaaaaaaaaaa1", group: 0, seed: 0), Trial(id: "aaaaaaaaaaaaaaa2", group: 0, seed: 1),
                      Trial(id: "bbbbbbbbbbbbbbb1", group: 1, seed: 0), Trial(id: "bbbbbbbbbbbbbbb2", group: 1, seed: 1)]
        let plan = SweepPlan(basePath: "base.json", groups: groups, trials: trials, seeds: [0, 1])
        let curves: [String: [Double]] = ["aaaaaaaaaaaaaaa1": [-120, -100, -95, -94], "aaaaaaaaaaaaaaa2": [-118, -101, -96, -96],
                                          "bbbbbbbbbbbbbbb1": [-120, -90, -110, -92]]
        for (id, curve) in curves {
            SweepFixtures.writeRun(folder.trialDirectory(id), curve: curve, mutualInformation: id.hasPrefix("b") ? 2.5 : 1)
            let result = try TrialResult.read(runDirectory: folder.trialDirectory(id), id: id)
            try AtomicFile.write(JSONWriter.pretty(result.json), to: folder.resultPath(id))
        }
        try AtomicFile.write(JSONWriter.pretty(plan.json), to: folder.planPath)
        return (folder, plan)
    }

    @Test("tables from what finished, with what is missing listed")
    func tables() throws {
        let (folder, plan) = try Self.folder()
        let comparison = Comparison(plan: plan, folder: folder)
        #expect(comparison.finishedCount == 3 && comparison.missing.map(\.trial.id) == ["bbbbbbbbbbbbbbb2"])
        #expect(comparison.missing[0].state == "not started")
        let table = comparison.resultsTable
        #expect(table.contains("| linear | 2 of 2 | -95.00 ± 1.41 |") && table.contains("| cyclical | 1 of 2 | -92.00 |"))
        // Two groups at the two ends of each range, but cyclical finished one seed: no spread, so nothing the seeds
        // resolve, and no word. Linear's two seeds carry their standard errors.
        let dynamics = comparison.dynamics
        #expect(dynamics[1].exploration.hasPrefix("unresolved: MI 2.50 nats") && dynamics[0].exploration.hasPrefix("unresolved: MI 1.00 ± 0.00 nats"), "\(dynamics)")
        #expect(dynamics[0].convergence == "unresolved: settles at epoch 2.0 ± 0.0 of 4" && dynamics[1].convergence == "unresolved: settles at epoch 3.0 of 4", "\(dynamics)")
        #expect(comparison.markdown.contains("## Missing (1 of 4)") && comparison.markdown.contains("`bbbbbbbbbbbbbbb2` cyclical, seed 1: not started"))
        let csv = comparison.csv.split(separator: "\n")
        #expect(csv.count == 3 && csv[0].hasPrefix("group,schedule,seeds_planned,seeds_finished,diverged,stopped_early,final_validation_elbo_mean"))
        #expect(comparison.trialsCSV.split(separator: "\n").count == 4)
    }

    @Test("writing makes the tables, the pages and readable links to the trials")
    func write() throws {
        let (folder, plan) = try Self.folder()
        let warnings = try Comparison(plan: plan, folder: folder).write(to: folder)
        for name in ["comparison.md", "comparison.csv", "trials.csv", "comparison.html"] {
            #expect(FileManager.default.fileExists(atPath: folder.root + "/" + name), "\(name)")
        }
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder.runsPath + "/linear-seed1") == "../trials/aaaaaaaaaaaaaaa2")
        let html = try String(contentsOfFile: folder.root + "/comparison.html", encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("Training dynamics, measured") && !html.contains("<script"))
        // The overlay report needs real run folders (config.json); the synthetic ones give a warning, not a failure.
        #expect(warnings.allSatisfy { $0.contains("report.html") })
    }

    /// A run's disentanglement.json as anneal train writes it: the whole code's blocks with figures (and a
    /// second block the comparison leaves to the file).
    static func writeDisentanglement(_ directory: String, mig: Double, factorVAE: Double?) throws {
        let text = """
            {"examples": 3000, "seed": 0, "notes": [], "blocks": [
              {"name": "whole code", "dimensions": 4, "metrics": {
                "mig": {"name": "MIG", "figures": {"score": \(mig), "factor_shape": 0.5}},
                "dci": {"name": "DCI", "figures": {"disentanglement": 0.25, "completeness": 0.5, "informativeness": 0.75}},
                "factor_vae": {"name": "FactorVAE score", "figures": {"train_accuracy": 0.9, "eval_accuracy": \(factorVAE.map { "\($0)" } ?? "null"), "active_codes": 4}},
                "sap": {"name": "SAP", "figures": {"score": 0.125}}}},
              {"name": "global", "dimensions": 2, "metrics": {"mig": {"name": "MIG", "figures": {"score": 0.9}}}}]}
            """
        try AtomicFile.write(text, to: directory + "/disentanglement.json")
    }

    @Test("data with factors: a disentanglement table (mean ± sd over the trials scored), its columns in both CSV files; a result recorded before results held them reads disentanglement.json beside it")
    func disentanglement() throws {
        let (folder, plan) = try Self.folder()
        #expect(Comparison(plan: plan, folder: folder).disentanglementTable == nil)
        #expect(!Comparison(plan: plan, folder: folder).csv.contains("mig"))
        // linear: MIG 0.1 and 0.3 → mean 0.2, sd √((0.1² + 0.1²)/1) = 0.141; FactorVAE 0.5 and not defined → 0.5 alone.
        try Self.writeDisentanglement(folder.trialDirectory("aaaaaaaaaaaaaaa1"), mig: 0.1, factorVAE: 0.5)
        try Self.writeDisentanglement(folder.trialDirectory("aaaaaaaaaaaaaaa2"), mig: 0.3, factorVAE: nil)
        // The second trial's result.json is one recorded before results held the figures (no "disentanglement" key).
        let old = try #require(SweepFolder.readJSON(folder.resultPath("aaaaaaaaaaaaaaa2")))
        #expect(old["disentanglement"] == .object([]))
        try AtomicFile.write(JSONWriter.pretty(JSONValue(.object((old.members ?? []).filter { $0.key != "disentanglement" }))), to: folder.resultPath("aaaaaaaaaaaaaaa2"))
        // The first trial's result is recorded again (it reads the file); the second keeps its old result.json.
        let result = try TrialResult.read(runDirectory: folder.trialDirectory("aaaaaaaaaaaaaaa1"), id: "aaaaaaaaaaaaaaa1")
        #expect(result.disentanglement.map(\.name) == ["mig", "dci_disentanglement", "dci_completeness", "dci_informativeness", "factor_vae_eval_accuracy", "sap"])
        #expect(result.json["disentanglement"]?["mig"] == .number(0.1))
        let again = try TrialResult(json: result.json, file: "result.json")
        #expect(again.disentanglement.map(\.name) == result.disentanglement.map(\.name) && again.disentanglement.map(\.value) == result.disentanglement.map(\.value))
        try AtomicFile.write(JSONWriter.pretty(result.json), to: folder.resultPath("aaaaaaaaaaaaaaa1"))

        let comparison = Comparison(plan: plan, folder: folder)
        let table = try #require(comparison.disentanglementTable)
        #expect(table.hasPrefix("| schedule | seeds scored | MIG | DCI disentanglement | DCI completeness | DCI informativeness | FactorVAE (eval accuracy) | SAP |"))
        #expect(table.contains("| linear | 2 of 2 | 0.200 ± 0.141 | 0.250 ± 0.000 | 0.500 ± 0.000 | 0.750 ± 0.000 | 0.500 (1) | 0.125 ± 0.000 |"), "\(table)")
        #expect(table.contains("| cyclical | 0 of 2 | – | – |"))
        #expect(comparison.markdown.contains("## Disentanglement") && comparison.markdown.contains("disentanglement_lib's sizes"))
        let csv = comparison.csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let column = try #require(csv[0].firstIndex(of: "mig_mean"))
        #expect(csv[1][column] == "0.2" && csv[2][column] == "")
        let trials = comparison.trialsCSV.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let factorColumn = try #require(trials[0].firstIndex(of: "factor_vae_eval_accuracy"))
        #expect(trials[1][factorColumn] == "0.5" && trials[2][factorColumn] == "")
        #expect(ComparisonPage(comparison: comparison).html.contains("FactorVAE (eval accuracy)"))
    }
}
