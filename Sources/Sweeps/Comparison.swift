import Foundation
import JSONConfig
import RunLog

/// The comparison's tables, built from whatever trials have finished: Markdown (`comparison.md`, also
/// printed), CSV per group (`comparison.csv`) and per trial (`trials.csv`), and what is missing.
///
/// Rows are the plan's groups in order. Each cell is the mean ± sample standard deviation over the finished
/// seeds (`GroupSummary`), on the validation split after the last epoch (`TrialResult`). Nothing in the
/// tables depends on when or where trials ran except the time columns, so merging the shards of a sweep gives
/// the tables one process would have written.
public struct Comparison: Sendable {
    public var plan: SweepPlan
    public var summaries: [GroupSummary]
    /// Trials without a result, with what their folders say.
    public var missing: [(trial: Trial, state: String)]

    public init(plan: SweepPlan, folder: SweepFolder) {
        self.plan = plan
        var results: [String: TrialResult] = [:]
        var missing: [(trial: Trial, state: String)] = []
        for trial in plan.trials {
            if let result = TrialResult.load(folder.resultPath(trial.id)) {
                results[trial.id] = result
                continue
            }
            let state: String
            let held = TrialClaim.isHeld(folder.claimPath(trial.id))
            switch folder.state(trial.id) {
            case .finished: state = "result.json is damaged; delete it and run again to record it"
            case .trainedUnrecorded: state = held ? "running (recording its result)" : "trained; its result is recorded by the next run"
            case .resumable: state = held ? "running (\(TrialClaim.holder(folder.claimPath(trial.id)) ?? "another process"))" : "interrupted; resumes from its last checkpoint"
            case .startedWithoutCheckpoint: state = held ? "running (\(TrialClaim.holder(folder.claimPath(trial.id)) ?? "another process"))" : "cut off before its first checkpoint; starts again"
            case .failed(let message): state = "failed: \(message) (log: \(folder.logPath(trial.id)))"
            case .notStarted: state = held ? "starting" : "not started"
            }
            missing.append((trial, state))
        }
        self.missing = missing
        summaries = plan.groups.enumerated().map { index, group in
            let trials = plan.trials.filter { $0.group == index }
            return GroupSummary(group: group, groupIndex: index, planned: trials.count, results: trials.compactMap { results[$0.id] })
        }
    }

    public var finishedCount: Int { summaries.reduce(0) { $0 + $1.results.count } }

    // MARK: Formatting

    /// `-92.31 ± 0.40` (the spread left out for one seed).
    static func format(_ spread: GroupSummary.Spread?, digits: Int = 2) -> String {
        guard let spread else { return "–" }
        let mean = String(format: "%.\(digits)f", spread.mean)
        return spread.count > 1 ? mean + " ± " + String(format: "%.\(digits)f", spread.standardDeviation) : mean
    }

    /// Per-term cells: the value alone for one term, `global 3.10 ± 0.20; local …` for several.
    static func perTerm(_ values: [(term: String, spread: GroupSummary.Spread?)], digits: Int = 2, suffix: (String) -> String = { _ in "" }) -> String {
        if values.count == 1 { return format(values[0].spread, digits: digits) + suffix(values[0].term) }
        if values.isEmpty { return "–" }
        return values.map { "\($0.term) \(format($0.spread, digits: digits))\(suffix($0.term))" }.joined(separator: "; ")
    }

    static func verdictText(_ summary: GroupSummary) -> String {
        let parts = summary.verdicts.map { term, counts -> String in
            let text = counts.map { "\($0.count) \($0.verdict)" }.joined(separator: ", ")
            return summary.verdicts.count > 1 ? "\(term): \(text)" : text
        }
        return parts.isEmpty ? "–" : parts.joined(separator: "; ")
    }

    /// The dynamics words per group (exploration, stability, convergence), given only where the seeds resolve
    /// the differences (`DynamicsRating`).
    func ratings(top: (String, String, String), middle: String, bottom: (String, String, String)) -> ([String?], [String?], [String?]) {
        (DynamicsRating.words(summaries.map { $0.totalMutualInformation?.mean }, errors: summaries.map(\.explorationError), higherIsBetter: true,
                              top: top.0, middle: middle, bottom: bottom.0),
         DynamicsRating.words(summaries.map(\.instability), errors: summaries.map(\.instabilityError), higherIsBetter: false,
                              top: top.1, middle: middle, bottom: bottom.1),
         DynamicsRating.words(summaries.map(\.settleFraction), errors: summaries.map(\.settleFractionError), higherIsBetter: false,
                              top: top.2, middle: middle, bottom: bottom.2))
    }

    /// The words and numbers of the dynamics table, per group.
    public var dynamics: [(exploration: String, stability: String, convergence: String)] {
        let (explorationWords, stabilityWords, convergenceWords) = ratings(top: ("High", "High", "Fast"), middle: "Medium", bottom: ("Low", "Low", "Slow"))
        return summaries.indices.map { index in
            let summary = summaries[index]
            if summary.results.isEmpty { return ("–", "–", "–") }
            func word(_ text: String?) -> String { text.map { "**\($0)**" } ?? "unresolved" }
            func error(_ value: Double?, _ digits: Int) -> String { value.map { " ± " + String(format: "%.\(digits)f", $0) } ?? "" }
            let units = summary.totalActiveUnits.map { String(format: "%.1f", $0.mean) } ?? "–"
            let dimensions = summary.dimensions.reduce(0) { $0 + $1.value }
            let mi = summary.totalMutualInformation.map { String(format: "%.2f", $0.mean) + error(summary.explorationError, 2) } ?? "–"
            let spread = summary.finalELBO.map { String(format: "%.2f", $0.standardDeviation) } ?? "–"
            let wobble = summary.lateWobble.map { String(format: "%.2f", $0.mean) } ?? "–"
            let settle = summary.settleEpoch.map { String(format: "%.1f", $0.mean) + error(GroupSummary.standardError($0), 1) } ?? "–"
            let length = summary.epochs.map { String(format: "%.0f", $0.mean) } ?? "–"
            return ("\(word(explorationWords[index])): MI \(mi) nats, \(units) of \(dimensions) units active",
                    "\(word(stabilityWords[index])): seed spread \(spread), late wobble \(wobble) nats",
                    "\(word(convergenceWords[index])): settles at epoch \(settle) of \(length)")
        }
    }

    // MARK: Markdown

    /// The results table.
    public var resultsTable: String {
        var lines = [
            "| schedule | seeds | final validation ELBO | best validation ELBO | reconstruction | KL (nats) | active units | MI (nats) | settles at epoch | late wobble | collapse | time (s) |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for summary in summaries {
            var seeds = "\(summary.results.count) of \(summary.planned)"
            if summary.diverged > 0 { seeds += " (\(summary.diverged) diverged)" }
            if summary.stoppedEarly > 0 { seeds += " (\(summary.stoppedEarly) stopped early)" }
            let dimensions = Dictionary(summary.dimensions.map { ($0.term, $0.value) }, uniquingKeysWith: { a, _ in a })
            let settle = summary.settleEpoch.map { _ in Self.format(summary.settleEpoch, digits: 1) + " of " + (summary.epochs.map { String(format: "%.0f", $0.mean) } ?? "–") } ?? "–"
            let cells = [
                summary.group.label, seeds, Self.format(summary.finalELBO), Self.format(summary.bestELBO), Self.format(summary.reconstruction),
                Self.perTerm(summary.kl), Self.perTerm(summary.activeUnits, digits: 1, suffix: { " of \(dimensions[$0] ?? 0)" }),
                Self.perTerm(summary.mutualInformation), settle, Self.format(summary.lateWobble), Self.verdictText(summary), Self.format(summary.seconds, digits: 1),
            ]
            lines.append("| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The measured training-dynamics table, with the commonly claimed ratings beside it.
    public var dynamicsTable: String {
        var lines = [
            "| schedule | exploration | stability | convergence | final validation ELBO | claimed (exploration · stability · convergence) |",
            "|---|---|---|---|---|---|",
        ]
        for (summary, words) in zip(summaries, dynamics) {
            let claim = summary.group.settings.isEmpty ? DynamicsRating.claimed[summary.group.schedule].map { "\($0.exploration) · \($0.stability) · \($0.convergence)" } ?? "–" : "–"
            lines.append("| \(summary.group.label) | \(words.exploration) | \(words.stability) | \(words.convergence) | \(Self.format(summary.finalELBO)) | \(claim) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The disentanglement figures some group has (`TrialResult.disentanglementFigures`' order); empty for
    /// data without factors, and then no table or column is written.
    var disentanglementNames: [String] {
        TrialResult.disentanglementFigures.map(\.name).filter { name in summaries.contains { $0.disentanglement.contains { $0.name == name } } }
    }

    /// The disentanglement table (data with known factors): each trial's whole-code figures from the
    /// `disentanglement.json` it wrote at its end; nil when no trial has them.
    public var disentanglementTable: String? {
        let names = disentanglementNames
        guard !names.isEmpty else { return nil }
        let labels = names.map { name in TrialResult.disentanglementFigures.first { $0.name == name }!.label }
        var lines = ["| schedule | seeds scored | " + labels.joined(separator: " | ") + " |", "|---|---|" + String(repeating: "---|", count: names.count)]
        for summary in summaries {
            let scored = summary.results.filter { !$0.disentanglement.isEmpty }.count
            // A figure not defined for some trials (FactorVAE with every code pruned) is over the others: (n) says how many.
            let cells = names.map { name -> String in
                let spread = summary.disentanglement.first { $0.name == name }?.spread
                return Self.format(spread, digits: 3) + (spread.map { $0.count < scored ? " (\($0.count))" : "" } ?? "")
            }
            lines.append("| " + ([summary.group.label, "\(scored) of \(summary.planned)"] + cells).map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What the disentanglement table's numbers are.
    public static let disentanglementDefinitions = """
        Disentanglement of the whole code against the data's known factors, from each trial's disentanglement.json \
        (written at its end by anneal train: the posterior means of 2,000 + 1,000 examples, a fifth of \
        disentanglement_lib's sizes, seed 0; on dsprites FactorVAE's votes are drawn by the renderer), as mean ± \
        standard deviation over the trials that have it. MIG, DCI, FactorVAE and SAP: higher is more \
        disentangled (0 to 1); Gaussian total correlation: lower is a more factorised code. anneal evaluate RUN \
        scores a trial at disentanglement_lib's full sizes.
        """

    /// What the words and numbers mean (part of every comparison.md).
    public static let definitions = """
        Every number is on the validation split after each epoch (one posterior sample per example, true KL, \
        β = 1), as mean ± standard deviation over seeds (n − 1). Final: after the last epoch; best: after any \
        epoch. Active units: posterior-mean variance ≥ 0.01. MI: I(x; z) per KL term (He et al. 2019, batches \
        of 256: at most log 256 = 5.55 nats). Settles at epoch: the first epoch after which the validation ELBO \
        stays within 5 % of its range (max − min over the run) of its final value. Late wobble: the standard \
        deviation of the validation ELBO over the last quarter of the run. Collapse: per KL term after the last \
        epoch, a unit is informative when active with a KL of at least 0.1 nats; collapsed when no unit is \
        informative, its KL is below 0.01 nats or its MI below 0.05 nats, partially collapsed when fewer than \
        half the units are informative, healthy otherwise. Time: training seconds per trial. A seed fixes the \
        initialisation, the data order and the train/validation split alike, so the spread over seeds includes \
        the split's.

        Exploration = MI summed over KL terms (how much the code says about the input); stability = \
        √(seed spread² + late wobble²), where the seed spread is the standard deviation over seeds of the \
        final validation ELBO; convergence = the settle epoch over the run length. Each word places the \
        schedule's number on the range of that number over the schedules compared, from the worst (0) to the \
        best (1): High (Fast) from 2/3 up, Low (Slow) below 1/3, Medium between, but only where the seeds \
        resolve it: numbers carry ± their standard error over seeds, two numbers differ when they are more than \
        twice the standard error of their difference apart, a top word needs a number that differs from the \
        worst and a bottom word one that differs from the best, and when the best and the worst do not differ \
        (or a schedule has one seed) the word is "unresolved".
        """

    /// `comparison.md`.
    public var markdown: String {
        var text = "# Schedule comparison\n\n"
        let groups = summaries.count
        text += "Base config `\(plan.basePath)`; \(plan.trials.count) trials (\(groups) \(groups == 1 ? "group" : "groups") × \(plan.seeds.count) seed\(plan.seeds.count == 1 ? "" : "s"): \(plan.seeds.map(String.init).joined(separator: ", "))); \(finishedCount) finished.\n\n"
        text += "## Results\n\n" + resultsTable + "\n"
        text += "## Training dynamics, measured\n\n" + dynamicsTable + "\n"
        if let table = disentanglementTable { text += "## Disentanglement\n\n" + table + "\n" + Self.disentanglementDefinitions + "\n\n" }
        text += Self.definitions + "\n"
        if !missing.isEmpty {
            text += "\n## Missing (\(missing.count) of \(plan.trials.count))\n\n"
            for (trial, state) in missing { text += "- `\(trial.id)` \(plan.groups[trial.group].label), seed \(trial.seed): \(state)\n" }
        }
        return text
    }

    // MARK: CSV

    /// Every KL term name over all groups, in first-seen order.
    var terms: [String] {
        var names: [String] = []
        for summary in summaries { for (term, _) in summary.kl where !names.contains(term) { names.append(term) } }
        return names
    }

    static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "" }
        return JSONValue.literalText(value)
    }

    var axisKeys: [String] {
        var keys: [String] = []
        for group in plan.groups { for setting in group.settings where !keys.contains(setting.keyPath) { keys.append(setting.keyPath) } }
        return keys
    }

    /// `comparison.csv`: one row per group, exact numbers.
    public var csv: String {
        let terms = self.terms
        var header = ["group", "schedule"] + axisKeys + ["seeds_planned", "seeds_finished", "diverged", "stopped_early"]
        for name in ["final_validation_elbo", "best_validation_elbo", "validation_reconstruction"] { header += [name + "_mean", name + "_sd"] }
        for term in terms {
            header += ["kl_\(term)_mean", "kl_\(term)_sd", "active_units_\(term)_mean", "active_units_\(term)_sd", "latent_dimensions_\(term)",
                       "mutual_information_\(term)_mean", "mutual_information_\(term)_sd", "collapse_\(term)"]
        }
        header += ["settle_epoch_mean", "settle_epoch_sd", "epochs_mean", "late_wobble_mean", "seed_spread", "instability", "settle_fraction",
                   "exploration", "stability", "convergence", "seconds_mean", "seconds_sd"]
        let disentanglement = disentanglementNames
        for name in disentanglement { header += [name + "_mean", name + "_sd"] }
        var table = CSVTable(header: header)
        let (words, stability, convergence) = ratings(top: ("high", "high", "fast"), middle: "medium", bottom: ("low", "low", "slow"))
        for (index, summary) in summaries.enumerated() {
            var row = [summary.group.label, summary.group.schedule]
            row += axisKeys.map { key in summary.group.settings.first { $0.keyPath == key }?.value ?? "" }
            row += [String(summary.planned), String(summary.results.count), String(summary.diverged), String(summary.stoppedEarly)]
            for spread in [summary.finalELBO, summary.bestELBO, summary.reconstruction] { row += [Self.number(spread?.mean), Self.number(spread?.standardDeviation)] }
            for term in terms {
                let kl = summary.kl.first { $0.term == term }?.spread
                let units = summary.activeUnits.first { $0.term == term }?.spread
                let mi = summary.mutualInformation.first { $0.term == term }?.spread
                let verdicts = summary.verdicts.first { $0.term == term }?.counts.map { "\($0.count) \($0.verdict)" }.joined(separator: "; ") ?? ""
                row += [Self.number(kl?.mean), Self.number(kl?.standardDeviation), Self.number(units?.mean), Self.number(units?.standardDeviation),
                        summary.dimensions.first { $0.term == term }.map { String($0.value) } ?? "",
                        Self.number(mi?.mean), Self.number(mi?.standardDeviation), verdicts]
            }
            row += [Self.number(summary.settleEpoch?.mean), Self.number(summary.settleEpoch?.standardDeviation), Self.number(summary.epochs?.mean),
                    Self.number(summary.lateWobble?.mean), Self.number(summary.finalELBO?.standardDeviation), Self.number(summary.instability),
                    Self.number(summary.settleFraction), words[index] ?? "", stability[index] ?? "", convergence[index] ?? "",
                    Self.number(summary.seconds?.mean), Self.number(summary.seconds?.standardDeviation)]
            for name in disentanglement {
                let spread = summary.disentanglement.first { $0.name == name }?.spread
                row += [Self.number(spread?.mean), Self.number(spread?.standardDeviation)]
            }
            table.rows.append(row)
        }
        return table.text
    }

    /// `trials.csv`: one row per finished trial, exact numbers.
    public var trialsCSV: String {
        let terms = self.terms
        var header = ["id", "group", "schedule"] + axisKeys + ["seed", "status", "epochs", "final_validation_elbo", "best_validation_elbo", "best_epoch", "validation_reconstruction"]
        for term in terms { header += ["kl_\(term)", "active_units_\(term)", "latent_dimensions_\(term)", "mutual_information_\(term)", "collapse_\(term)"] }
        header += ["settle_epoch", "late_wobble", "seconds", "sessions"]
        let disentanglement = disentanglementNames
        header += disentanglement
        var table = CSVTable(header: header)
        for summary in summaries {
            for result in summary.results {
                guard let trial = plan.trials.first(where: { $0.id == result.id }) else { continue }
                var row = [result.id, summary.group.label, summary.group.schedule]
                row += axisKeys.map { key in summary.group.settings.first { $0.keyPath == key }?.value ?? "" }
                row += [String(trial.seed), result.status, String(result.epochs), Self.number(result.finalValidationELBO), Self.number(result.bestValidationELBO),
                        result.bestEpoch.map(String.init) ?? "", Self.number(result.reconstruction)]
                for term in terms {
                    row += [Self.number(result.kl.first { $0.name == term }?.value), result.activeUnits.first { $0.name == term }.map { String($0.value) } ?? "",
                            result.dimensions.first { $0.name == term }.map { String($0.value) } ?? "",
                            Self.number(result.mutualInformation.first { $0.name == term }?.value), result.verdicts.first { $0.name == term }?.value ?? ""]
                }
                row += [result.settleEpoch.map(String.init) ?? "", Self.number(result.lateWobble), Self.number(result.seconds), String(result.sessions)]
                row += disentanglement.map { name in Self.number(result.disentanglement.first { $0.name == name }?.value ?? nil) }
                table.rows.append(row)
            }
        }
        return table.text
    }
}
