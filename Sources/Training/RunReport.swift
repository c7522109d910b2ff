import Foundation
import JSONConfig
import RunLog
import Schedules

/// Builds the HTML report of one or more run folders from their config.json and metrics.jsonl.
public struct RunReport {
    /// One run's numbers, read back from its folder.
    public struct Run {
        public var name: String
        public var configuration: RunConfiguration
        /// metrics.jsonl, one object per epoch.
        public var epochs: [JSONValue]
        /// summary.json, when the run has written one.
        public var summary: JSONValue?
        /// Who holds the folder's lock now: a live training, one that is gone, or none.
        public var holder: RunFolderLock.Holder = .none
        /// Whether the folder holds a checkpoint (checkpoints/last.ckpt), which --resume continues from.
        public var hasCheckpoint = true
        /// The run folder ("" for a run made in memory).
        public var directory = ""

        /// The run's state in words: a live training is "running"; a lock whose process is gone, or no summary
        /// at all, is "stopped without a clean exit" (kill -9, a power cut); otherwise summary.json's status.
        public var status: String {
            switch holder {
            case .running: return "running"
            case .gone(let why): return "stopped without a clean exit (\(why))"
            case .none:
                if case .string(let text)? = summary?["status"]?.kind { return text }
                return "stopped without a clean exit"
            }
        }
    }

    public var runs: [Run]

    /// Reads the run folders; a folder without config.json or metrics.jsonl is an error naming it.
    public init(directories: [String]) throws(TrainingError) {
        var runs: [Run] = []
        for directory in directories {
            let configuration: RunConfiguration
            do {
                configuration = try RunConfiguration.load(file: directory + "/config.json")
            } catch {
                throw TrainingError("\(directory) is not a run folder: \(error.description)")
            }
            guard let text = try? String(contentsOfFile: directory + "/metrics.jsonl", encoding: .utf8) else {
                throw TrainingError("\(directory)/metrics.jsonl: no such file (has the run finished an epoch?)")
            }
            var epochs: [JSONValue] = []
            for (index, line) in text.split(separator: "\n").enumerated() {
                do { epochs.append(try JSONParser.parse(String(line))) } catch {
                    throw TrainingError("\(directory)/metrics.jsonl line \(index + 1): \(error.message)")
                }
            }
            let summary = (try? String(contentsOfFile: directory + "/summary.json", encoding: .utf8)).flatMap { try? JSONParser.parse($0) }
            runs.append(Run(name: URL(fileURLWithPath: directory).lastPathComponent, configuration: configuration, epochs: epochs, summary: summary,
                            holder: RunFolderLock.holder(of: directory),
                            hasCheckpoint: FileManager.default.fileExists(atPath: directory + "/checkpoints/last.ckpt"), directory: directory))
        }
        self.runs = runs
    }

    /// Disentanglement: `logging.disentanglement_every`'s scores over the epochs (metrics.jsonl) and the end of
    /// the run's `disentanglement.json`, in a table; nil when no run has either.
    func disentanglementSection() -> HTMLReport.Section? {
        func figures(_ epoch: JSONValue, _ names: [(String, String)]) -> [(String, Double)] {
            let blocks = epoch["disentanglement"]?.members ?? []
            return blocks.flatMap { block in
                names.compactMap { key, label in
                    Self.number(block.value[key]).map { (blocks.count == 1 ? label : "\(block.key): \(label)", $0) }
                }
            }
        }
        var parts: [String] = []
        if runs.contains(where: { $0.epochs.contains { $0["disentanglement"] != nil } }) {
            // Data without factors records the unsupervised scores alone: no empty MIG chart.
            if runs.contains(where: { $0.epochs.contains { epoch in !figures(epoch, [("mig", "MIG"), ("sap", "SAP")]).isEmpty } }) {
                parts.append(chart("MIG and SAP against the data's factors", "score (0 to 1)", series { figures($0, [("mig", "MIG"), ("sap", "SAP")]) }))
            }
            parts.append(chart("Unsupervised scores of the code", "nats", series { figures($0, [("gaussian_total_correlation", "Gaussian total correlation"), ("mean_mutual_information", "mean pairwise mutual information")]) }))
        }
        var rows: [String] = []
        // One run's end-of-run scores; runs overlaid are compared by anneal compare's table.
        for run in runs where runs.count == 1 {
            guard let text = try? String(contentsOfFile: run.directory + "/" + RunDisentanglement.file, encoding: .utf8),
                  let json = try? JSONParser.parse(text), case .array(let blocks)? = json["blocks"]?.kind else { continue }
            for block in blocks {
                for metric in block["metrics"]?.members ?? [] {
                    guard case .string(let name)? = metric.value["name"]?.kind else { continue }
                    let labels = metric.value["labels"]?.members ?? []
                    // Per-factor figures (MIG's factor_…, DCI's test_accuracy_…) stay in the file.
                    for figure in metric.value["figures"]?.members ?? [] where !figure.key.hasPrefix("factor_") && !figure.key.hasPrefix("test_accuracy_") {
                        let label: String
                        if case .string(let text)? = labels.first(where: { $0.key == figure.key })?.value.kind { label = text } else { label = figure.key }
                        let value = Self.number(figure.value).map { String(format: "%.3f", $0) } ?? "not defined"
                        let blockName: String
                        if case .string(let text)? = block["name"]?.kind { blockName = text } else { blockName = "" }
                        rows.append("<tr><td>\(Self.escape(run.name))</td><td>\(Self.escape(blockName))</td><td>\(Self.escape(name == label ? name : name + " " + label))</td><td>\(value)</td></tr>")
                    }
                }
            }
        }
        if !rows.isEmpty {
            parts.append("<table><thead><tr><th>run</th><th>code</th><th>figure</th><th>value</th></tr></thead><tbody>\n" + rows.joined(separator: "\n") + "\n</tbody></table>\n")
        }
        guard !parts.isEmpty else { return nil }
        return HTMLReport.Section(title: "Disentanglement",
                       note: "Over the epochs (logging.disentanglement_every): MIG and SAP against the data's factors and the unsupervised scores of the posterior means of 1,500 fixed examples. The table: the scores at the run's end (\(RunDisentanglement.file): 2,000 + 1,000 examples, FactorVAE's votes drawn by the renderer on dsprites; anneal evaluate RUN gives disentanglement_lib's full sizes). Higher MIG, DCI, FactorVAE and SAP are more disentangled; a lower total correlation is a more factorised code.",
                       figures: parts)
    }

    /// Text for HTML: &, <, > and " escaped.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func number(_ value: JSONValue?) -> Double? {
        if case .number(let n, _)? = value?.kind { return n }
        return nil
    }

    /// The (name, value) pairs of an object-valued metric, in order.
    static func pairs(_ value: JSONValue?) -> [(String, Double)] {
        (value?.members ?? []).compactMap { member in number(member.value).map { (member.key, $0) } }
    }

    /// Series of one metric for every run: `extract` maps an epoch's object to named values. With several runs,
    /// each run has one colour and each quantity one line style (`dashed` ones dashed, the others solid, then
    /// dotted), and every label is "run: quantity" in full; with one run, each quantity has its colour (`dashed`
    /// ones drawn dashed).
    func series(_ extract: (JSONValue) -> [(String, Double)], dashed: (String) -> Bool = { _ in false }) -> [LineChart.Series] {
        var result: [LineChart.Series] = []
        var quantityNames: [String] = []
        for (runIndex, run) in runs.enumerated() {
            var names: [String] = []
            var points: [String: ([Double], [Double])] = [:]
            for epoch in run.epochs {
                guard let index = Self.number(epoch["epoch"]) else { continue }
                for (name, value) in extract(epoch) where value.isFinite {
                    if points[name] == nil { names.append(name) }
                    points[name, default: ([], [])].0.append(index)
                    points[name, default: ([], [])].1.append(value)
                }
            }
            for name in names {
                if !quantityNames.contains(name) { quantityNames.append(name) }
                if runs.count > 1 {
                    // The line style follows the quantity, and a quantity the caption calls dashed is dashed.
                    let undashed = quantityNames.filter { !dashed($0) }
                    let style = dashed(name) ? 1 + quantityNames.filter(dashed).firstIndex(of: name)! * 2 : 2 * undashed.firstIndex(of: name)!
                    result.append(LineChart.Series(name: "\(run.name): \(name)", x: points[name]!.0, y: points[name]!.1,
                                                   style: style, colour: runIndex))
                } else {
                    result.append(LineChart.Series(name: name, x: points[name]!.0, y: points[name]!.1, dashed: dashed(name)))
                }
            }
        }
        return result
    }

    func chart(_ title: String, _ yLabel: String, _ series: [LineChart.Series], markers: [LineChart.Marker] = []) -> String {
        LineChart(title: title, xLabel: "epoch (0-based)", panels: [LineChart.Panel(title: "", yLabel: yLabel, series: series)], markers: markers).svg()
    }

    public var html: String {
        let restartMarkers: [LineChart.Marker] = runs.count == 1 ? {
            let run = runs[0]
            let quantities = run.configuration.quantities.quantities.filter { $0.role == .klWeight }
            let epochs = Set(quantities.flatMap { $0.schedule.restartEpochs(before: run.configuration.training.numEpochs) })
            return epochs.sorted().map { LineChart.Marker(x: Double($0), label: "↻ \($0)") }
        }() : []
        var sections: [HTMLReport.Section] = []
        let endings = runs.compactMap { run -> String? in
            if case .gone = run.holder {
                return runs.count > 1 ? "\(run.name): \(run.status)." : "The run \(run.status); " + (run.hasCheckpoint ? "anneal train --resume continues it from its last checkpoint." : "it saved no checkpoint, so anneal train --resume starts it again from epoch 0 with its config.json.")
            }
            guard case .none = run.holder, case .string(let ending)? = run.summary?["ending"]?.kind else { return nil }
            return runs.count > 1 ? "\(run.name): \(ending)." : "The run \(ending)."
        }
        if !endings.isEmpty { sections.append(.init(title: "How the run ended", note: endings.joined(separator: " "), figures: [])) }
        // A weight evaluated per step changes inside an epoch: its epoch-start value alone would hide that (a
        // quarter-epoch cycle starts every epoch at 0), so such runs show each epoch's mean over its steps too.
        let changesWithinEpochs = runs.contains { run in
            run.epochs.contains { epoch in
                epoch["beta_mean"] != nil || Self.pairs(epoch["beta"]).contains { name, start in
                    Self.number(epoch["quantity_means"]?[name]).map { abs($0 - start) > 1e-9 } ?? false
                }
            }
        }
        let weightNote = changesWithinEpochs
            ? "The weights change within epochs (evaluated per step): solid lines are each epoch's mean over its steps, dashed lines the value at its start; grey dashed verticals mark warm restarts."
            : "At each epoch's start; dashed lines mark warm restarts."
        sections.append(.init(title: "KL weights (β)", note: weightNote,
                              figures: [chart("β per KL term", "weight", series({ epoch in
                                  // Older runs kept every weight's start under "beta"; now per-step weights are under beta_start.
                                  let starts = Self.pairs(epoch["beta"]) + Self.pairs(epoch["beta_start"])
                                  guard changesWithinEpochs else { return starts }
                                  return starts.compactMap { name, _ in Self.number(epoch["quantity_means"]?[name]).map { ("\(name) (epoch mean)", $0) } }
                                      + starts.map { ("\($0.0) (epoch start)", $0.1) }
                              }, dashed: { $0.hasSuffix("(epoch start)") }), markers: restartMarkers)]))
        sections.append(.init(title: "ELBO", note: "Training ELBO (dashed) and validation ELBO (one posterior sample per example, true KL, β = 1).",
                              figures: [chart("ELBO", "nats per example", series({ epoch in
                                  [("train", Self.number(epoch["elbo"])), ("validation", Self.number(epoch["validation_elbo"]))].compactMap { name, value in value.map { (name, $0) } }
                              }, dashed: { $0 == "train" }))]))
        sections.append(.init(title: "Losses", note: "The optimised loss (with β, free bits or capacity) and the reconstruction term.",
                              figures: [chart("Loss and reconstruction", "nats per example", series { epoch in
                                  [("loss", Self.number(epoch["loss"])), ("reconstruction", Self.number(epoch["reconstruction"]))].compactMap { name, value in value.map { (name, $0) } }
                              })]))
        sections.append(.init(title: "KL per term", figures: [chart("KL per term (true KL, batch mean)", "nats", series { Self.pairs($0["kl"]) })]))
        var heatMaps: [String] = []
        for run in runs {
            var perTerm: [String: [[Double]]] = [:]
            var order: [String] = []
            for epoch in run.epochs {
                for member in epoch["kl_per_dimension"]?.members ?? [] {
                    guard case .array(let values) = member.value.kind else { continue }
                    if perTerm[member.key] == nil { order.append(member.key); perTerm[member.key] = [] }
                    perTerm[member.key]!.append(values.map { Self.number($0) ?? .nan })
                }
            }
            for term in order {
                let byEpoch = perTerm[term]!
                let dimensions = byEpoch.first?.count ?? 0
                let rows = (0..<dimensions).map { d in byEpoch.map { d < $0.count ? $0[d] : .nan } }
                heatMaps.append(HeatMap(title: "\(runs.count > 1 ? run.name + ": " : "")KL per latent dimension (\(term))", xLabel: "epoch (0-based)",
                                        yLabel: "dimension", values: rows, rowLabels: (0..<dimensions).map { "z\($0)" }).svg())
            }
        }
        sections.append(.init(title: "KL per latent dimension", note: "One row per latent dimension, its KL (nats) each epoch; a row that stays pale throughout carries little information about the input (a collapsed unit). The darkest colour is the 98th percentile of the later half of the epochs, so the early epochs (large KL while β is still low) do not wash out the trained state.", figures: heatMaps))
        sections.append(.init(title: "Active units", note: "Units whose posterior mean varies over the validation set (variance ≥ 0.01; Burda et al. 2016).",
                              figures: [chart("Active units", "units", series { Self.pairs($0["active_units"]) })]))
        if let section = disentanglementSection() { sections.append(section) }
        sections.append(.init(title: "Learning rate", figures: [chart("Learning rate", "learning rate", series { epoch in
            Self.number(epoch["learning_rate"]).map { [("lr", $0)] } ?? []
        })]))
        // An image model's pictures (RunPictures), embedded so the page stays whole when copied alone.
        var pictures: [String] = []
        for run in runs {
            for (file, caption) in [(RunPictures.samplesFile, "Samples from the prior (the likelihood's mean; a conditional model's samples go through its classes in turn, row by row)"),
                                    (RunPictures.reconstructionsFile, "Examples (rows 1, 3, …) and their reconstructions (rows 2, 4, …: the decoded posterior mean)")]
                + ((try? FileManager.default.contentsOfDirectory(atPath: run.directory)) ?? []).filter { $0 == RunPictures.traversalFile || ($0.hasPrefix("traversal-") && $0.hasSuffix(".png")) }.sorted()
                    .map { ($0, "Latent traversal\($0 == RunPictures.traversalFile ? "" : " of block " + String($0.dropFirst("traversal-".count).dropLast(4))): one row per dimension, largest KL first (collapsed dimensions last, dimmed), each varied over \(run.configuration.json["model"]?["latent_geometry"] == .string("poincare") ? "the quantiles of its posterior means (the latent is on the Poincaré ball)" : "the prior's −3σ…3σ") from the code of the first example of the validation split (the training split when nothing is held out)") } {
                guard let data = FileManager.default.contents(atPath: run.directory + "/" + file) else { continue }
                pictures.append("<figure><img src=\"data:image/png;base64,\(data.base64EncodedString())\" alt=\"\(Self.escape(caption))\"><figcaption>\(Self.escape((runs.count > 1 ? run.name + ": " : "") + caption))</figcaption></figure>\n")
            }
        }
        if let legend = runs.count == 1 ? try? String(contentsOfFile: runs[0].directory + "/" + RunPictures.traversalLegendFile, encoding: .utf8) : nil, !pictures.isEmpty {
            pictures.append("<pre>\(Self.escape(legend))</pre>\n")
        }
        if !pictures.isEmpty {
            sections.append(.init(title: "Samples and reconstructions", note: "From the model at the run's last checkpoint (rewritten at each checkpoint while it trains, and after its last epoch; not best.ckpt); images as training read them, standardisation undone.", figures: pictures))
        }
        let rows = runs.map { run -> [String] in
            let last = run.epochs.last
            let best = run.epochs.compactMap { Self.number($0["validation_elbo"]) }.max()
            func f(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "–" }
            return [run.name, run.status, run.configuration.model.specification.typeName + " (" + run.configuration.model.likelihood.name + ")",
                    run.configuration.weightSummary, String(run.epochs.count),
                    f(run.epochs.first.flatMap { Self.number($0["validation_elbo"]) }), f(last.flatMap { Self.number($0["validation_elbo"]) }), f(best)]
        }
        return HTMLReport(title: runs.count == 1 ? "Anneal run \(runs[0].name)" : "Anneal runs compared",
                          summaryHeader: ["run", "status", "model", "β schedule", "epochs", "first validation ELBO", "last", "best"],
                          summaryRows: rows, sections: sections).html
    }
}
