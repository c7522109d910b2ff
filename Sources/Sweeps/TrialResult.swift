import Foundation
import JSONConfig

/// A finished trial's numbers, read from its run folder (`summary.json`, `metrics.jsonl`) and written as its
/// `result.json`. Everything is measured on the validation split after each epoch, as `anneal train`
/// reports it (one posterior sample per example, true KL, β = 1).
///
/// - **final / best validation ELBO**: after the last epoch; the best after any epoch (summary.json).
/// - **reconstruction**, **KL per term**, **active units per term** (posterior-mean variance ≥ 0.01),
///   **mutual information per term** (He et al. 2019, batches of 256): after the last epoch.
/// - **settle epoch**: with v_e the validation ELBO after epoch e (e = 0 … E − 1) and
///   δ = 5 % of the curve's range (max_e v_e − min_e v_e), the first epoch e* such that
///   |v_k − v_{E−1}| ≤ δ for every k ≥ e*. The epoch from which the curve stays near where it ends: a curve
///   that keeps swinging (a cyclical β) settles late even if it ends high.
/// - **late wobble**: the standard deviation (n − 1) of v_e over the last quarter of the run,
///   the last max(2, ⌈E/4⌉) epochs: how much the validation ELBO still moves at the end.
/// - **collapse verdict per term**, `anneal evaluate`'s rule on the last epoch's numbers: collapsed when no
///   unit is active or the term's KL is below 0.01 nats; partially collapsed when fewer than half the units
///   are active; healthy otherwise.
/// - **seconds**: training time over every session (summary.json).
/// - **disentanglement** (data with known factors): the whole code's figures in the run's `disentanglement.json`,
///   written at its end (`disentanglementFigures`: MIG, DCI, FactorVAE's eval accuracy, SAP, Gaussian total
///   correlation); empty for data without factors.
public struct TrialResult: Sendable {
    public var id: String
    /// `completed`, `stopped_early` or `diverged`.
    public var status: String
    public var reason: String?
    public var epochs: Int
    public var finalValidationELBO: Double?
    public var bestValidationELBO: Double?
    public var bestEpoch: Int?
    public var reconstruction: Double?
    public var kl: [(name: String, value: Double)]
    public var activeUnits: [(name: String, value: Int)]
    public var dimensions: [(name: String, value: Int)]
    public var mutualInformation: [(name: String, value: Double)]
    public var settleEpoch: Int?
    public var lateWobble: Double?
    public var verdicts: [(name: String, value: String)]
    public var seconds: Double
    public var sessions: Int
    /// Per epoch: validation ELBO, β per term, active units (summed over terms), MI (summed over terms).
    public var validationCurve: [Double?]
    public var betaCurves: [(name: String, values: [Double?])]
    public var activeUnitsCurve: [Double?]
    public var mutualInformationCurve: [Double?]
    /// The whole code's disentanglement figures, in `disentanglementFigures`' order; nil: not defined.
    public var disentanglement: [(name: String, value: Double?)] = []

    /// The figures a comparison tabulates from a run's `disentanglement.json` (whole code): the name in
    /// result.json and the CSV files, the metric's key and figure's key there, and the column's label.
    public static let disentanglementFigures: [(name: String, metric: String, figure: String, label: String)] = [
        ("mig", "mig", "score", "MIG"),
        ("dci_disentanglement", "dci", "disentanglement", "DCI disentanglement"),
        ("dci_completeness", "dci", "completeness", "DCI completeness"),
        ("dci_informativeness", "dci", "informativeness", "DCI informativeness"),
        ("factor_vae_eval_accuracy", "factor_vae", "eval_accuracy", "FactorVAE (eval accuracy)"),
        ("sap", "sap", "score", "SAP"),
        ("gaussian_total_correlation", "unsupervised", "gaussian_total_correlation", "Gaussian total correlation (nats)"),
    ]

    /// The whole code's figures in the `disentanglement.json` of the run folder `directory`; empty when it has
    /// none (data without factors, a run stopped before its end) or the file is unreadable.
    public static func readDisentanglement(runDirectory directory: String) -> [(name: String, value: Double?)] {
        guard let json = SweepFolder.readJSON(directory + "/disentanglement.json"), case .array(let blocks)? = json["blocks"]?.kind,
              let whole = blocks.first(where: { $0["name"] == .string("whole code") }) else { return [] }
        return disentanglementFigures.compactMap { name, metric, figure, _ in
            guard let figures = whole["metrics"]?[metric]?["figures"], let value = figures[figure] else { return nil }
            return (name, number(value))
        }
    }

    /// The fraction of the curve's range within which it counts as settled.
    public static let settleFraction = 0.05
    /// The activity threshold's companion rules (`CollapseVerdict`'s defaults).
    public static let minimumKL = 0.01
    public static let minimumActiveFraction = 0.5

    // MARK: Measures

    /// The settle epoch of `curve` (see the type's documentation); nil for an empty curve.
    public static func settleEpoch(_ curve: [Double]) -> Int? {
        guard let final = curve.last, let high = curve.max(), let low = curve.min() else { return nil }
        let tolerance = settleFraction * (high - low)
        var epoch = curve.count - 1
        while epoch > 0 && abs(curve[epoch - 1] - final) <= tolerance { epoch -= 1 }
        return epoch
    }

    /// The late wobble of `curve`; nil with fewer than 2 epochs.
    public static func lateWobble(_ curve: [Double]) -> Double? {
        guard curve.count >= 2 else { return nil }
        let window = max(2, (curve.count + 3) / 4)
        return Statistics.standardDeviation(Array(curve.suffix(window)))
    }

    /// The collapse verdict from a term's active units, dimensions, KL, and (when the run recorded them) its KL
    /// per dimension and mutual information, by `CollapseVerdict`'s rule: the informative units are taken as the
    /// fewer of the active units and the units with KL ≥ 0.1 nats (the metrics record the count of active units,
    /// not which ones); collapsed also when the mutual information is below 0.05 nats.
    public static func verdict(activeUnits: Int, dimensions: Int, kl: Double, klPerDimension: [Double]? = nil, mutualInformation: Double? = nil) -> String {
        let informative = klPerDimension.map { min(activeUnits, $0.filter { $0 >= minimumUnitKL }.count) } ?? activeUnits
        if informative == 0 || !(kl >= minimumKL) || mutualInformation.map({ !($0 >= minimumInformation) }) == true { return "collapsed" }
        if Double(informative) < minimumActiveFraction * Double(dimensions) { return "partially collapsed" }
        return "healthy"
    }

    /// A unit's least KL to count as informative, and a block's least mutual information (`CollapseVerdict`).
    public static let minimumUnitKL = 0.1
    public static let minimumInformation = 0.05

    // MARK: Reading a run folder

    /// The result of the finished run in `directory`, or an error saying what is missing.
    public static func read(runDirectory directory: String, id: String) throws(SweepError) -> TrialResult {
        guard let summary = SweepFolder.readJSON(directory + "/summary.json") else {
            throw SweepError("\(directory)/summary.json: missing or unreadable")
        }
        guard case .string(let status)? = summary["status"]?.kind else { throw SweepError("\(directory)/summary.json: no status") }
        guard let text = try? String(contentsOfFile: directory + "/metrics.jsonl", encoding: .utf8) else {
            throw SweepError("\(directory)/metrics.jsonl: missing or unreadable")
        }
        var byEpoch: [Int: JSONValue] = [:]
        for line in text.split(separator: "\n") {
            guard let value = try? JSONParser.parse(String(line)), let epoch = number(value["epoch"]) else { continue }
            byEpoch[Int(saturating: epoch)] = value
        }
        let epochs = byEpoch.keys.sorted().map { byEpoch[$0]! }
        let last = epochs.last
        func pairs(_ value: JSONValue?) -> [(name: String, value: Double)] {
            (value?.members ?? []).compactMap { member in number(member.value).map { (member.key, $0) } }
        }
        let kl = pairs(last?["validation_kl"])
        let active = pairs(last?["active_units"]).map { (name: $0.name, value: Int(saturating: $0.value)) }
        let dimensions = (last?["kl_per_dimension"]?.members ?? []).map { member -> (name: String, value: Int) in
            if case .array(let values) = member.value.kind { return (member.key, values.count) }
            return (member.key, 0)
        }
        let curve = epochs.map { number($0["validation_elbo"]) }
        let finite = curve.compactMap { $0 }.filter(\.isFinite)
        var verdicts: [(name: String, value: String)] = []
        for (name, units) in active {
            let size = dimensions.first { $0.name == name }?.value ?? 0
            let termKL = kl.first { $0.name == name }?.value ?? 0
            let perDimension: [Double]? = last?["kl_per_dimension"]?[name].flatMap { value -> [Double]? in
                guard case .array(let values) = value.kind else { return nil }
                return values.map { number($0) ?? .nan }
            }
            verdicts.append((name, verdict(activeUnits: units, dimensions: size, kl: termKL, klPerDimension: perDimension,
                                           mutualInformation: number(last?["mutual_information"]?[name]))))
        }
        var betaNames: [String] = []
        // A weight evaluated per step is recorded at its epoch mean (beta_mean), one per epoch under "beta".
        func weight(_ epoch: JSONValue, _ name: String) -> Double? { number(epoch["beta"]?[name]) ?? number(epoch["beta_mean"]?[name]) }
        for epoch in epochs {
            for member in (epoch["beta"]?.members ?? []) + (epoch["beta_mean"]?.members ?? []) where !betaNames.contains(member.key) { betaNames.append(member.key) }
        }
        var reason: String?
        if case .string(let text)? = summary["reason"]?.kind { reason = text }
        return TrialResult(
            id: id, status: status, reason: reason, epochs: epochs.count,
            finalValidationELBO: last.flatMap { number($0["validation_elbo"]) },
            bestValidationELBO: number(summary["best_validation_elbo"]), bestEpoch: number(summary["best_epoch"]).map { Int(saturating: $0) },
            reconstruction: last.flatMap { number($0["validation_reconstruction"]) },
            kl: kl, activeUnits: active, dimensions: dimensions, mutualInformation: pairs(last?["mutual_information"]),
            settleEpoch: finite.count == curve.count ? settleEpoch(finite) : nil,
            lateWobble: finite.count == curve.count ? lateWobble(finite) : nil,
            verdicts: verdicts, seconds: number(summary["seconds"]) ?? 0, sessions: number(summary["sessions"]).map { Int(saturating: $0) } ?? 1,
            validationCurve: curve,
            betaCurves: betaNames.map { name in (name, epochs.map { weight($0, name) }) },
            activeUnitsCurve: epochs.map { epoch in
                let values = pairs(epoch["active_units"]).map(\.value)
                return values.isEmpty ? nil : values.reduce(0, +)
            },
            mutualInformationCurve: epochs.map { epoch in
                let values = pairs(epoch["mutual_information"]).map(\.value)
                return values.isEmpty ? nil : values.reduce(0, +)
            }, disentanglement: readDisentanglement(runDirectory: directory))
    }

    static func number(_ value: JSONValue?) -> Double? {
        if case .number(let n, _)? = value?.kind { return n }
        return nil
    }

    // MARK: result.json

    public var json: JSONValue {
        func optional(_ value: Double?) -> JSONValue { value.map { .number($0) } ?? .null }
        func curve(_ values: [Double?]) -> JSONValue { .array(values.map(optional)) }
        return .object([
            ("id", .string(id)), ("status", .string(status)), ("reason", reason.map { .string($0) } ?? .null),
            ("epochs", .number(epochs)),
            ("final_validation_elbo", optional(finalValidationELBO)), ("best_validation_elbo", optional(bestValidationELBO)),
            ("best_epoch", bestEpoch.map { .number($0) } ?? .null),
            ("validation_reconstruction", optional(reconstruction)),
            ("validation_kl", .object(kl.map { ($0.name, .number($0.value)) })),
            ("active_units", .object(activeUnits.map { ($0.name, .number($0.value)) })),
            ("latent_dimensions", .object(dimensions.map { ($0.name, .number($0.value)) })),
            ("mutual_information", .object(mutualInformation.map { ($0.name, .number($0.value)) })),
            ("settle_epoch", settleEpoch.map { .number($0) } ?? .null), ("late_wobble", optional(lateWobble)),
            ("collapse", .object(verdicts.map { ($0.name, .string($0.value)) })),
            ("seconds", .number(seconds)), ("sessions", .number(sessions)),
            ("curves", .object([
                ("validation_elbo", curve(validationCurve)),
                ("beta", .object(betaCurves.map { ($0.name, curve($0.values)) })),
                ("active_units", curve(activeUnitsCurve)), ("mutual_information", curve(mutualInformationCurve)),
            ])),
            // Always written ({} without factors), so only a result recorded before the key reads the file beside it.
            ("disentanglement", .object(disentanglement.map { ($0.name, optional($0.value)) })),
        ])
    }

    public init(id: String, status: String, reason: String?, epochs: Int, finalValidationELBO: Double?, bestValidationELBO: Double?, bestEpoch: Int?,
                reconstruction: Double?, kl: [(name: String, value: Double)], activeUnits: [(name: String, value: Int)], dimensions: [(name: String, value: Int)],
                mutualInformation: [(name: String, value: Double)], settleEpoch: Int?, lateWobble: Double?, verdicts: [(name: String, value: String)],
                seconds: Double, sessions: Int, validationCurve: [Double?], betaCurves: [(name: String, values: [Double?])],
                activeUnitsCurve: [Double?], mutualInformationCurve: [Double?], disentanglement: [(name: String, value: Double?)] = []) {
        self.id = id
        self.status = status
        self.reason = reason
        self.epochs = epochs
        self.finalValidationELBO = finalValidationELBO
        self.bestValidationELBO = bestValidationELBO
        self.bestEpoch = bestEpoch
        self.reconstruction = reconstruction
        self.kl = kl
        self.activeUnits = activeUnits
        self.dimensions = dimensions
        self.mutualInformation = mutualInformation
        self.settleEpoch = settleEpoch
        self.lateWobble = lateWobble
        self.verdicts = verdicts
        self.seconds = seconds
        self.sessions = sessions
        self.validationCurve = validationCurve
        self.betaCurves = betaCurves
        self.activeUnitsCurve = activeUnitsCurve
        self.mutualInformationCurve = mutualInformationCurve
        self.disentanglement = disentanglement
    }

    /// Reads a `result.json`.
    public init(json: JSONValue, file: String) throws(SweepError) {
        func numbers(_ value: JSONValue?) -> [(name: String, value: Double)] {
            (value?.members ?? []).compactMap { member in Self.number(member.value).map { (member.key, $0) } }
        }
        func curve(_ value: JSONValue?) -> [Double?] {
            if case .array(let items)? = value?.kind { return items.map { Self.number($0) } }
            return []
        }
        guard case .string(let id)? = json["id"]?.kind, case .string(let status)? = json["status"]?.kind else {
            throw SweepError("\(file): not a trial result (no id or status)")
        }
        var reason: String?
        if case .string(let text)? = json["reason"]?.kind { reason = text }
        let curves = json["curves"]
        self.init(
            id: id, status: status, reason: reason, epochs: Self.number(json["epochs"]).map { Int(saturating: $0) } ?? 0,
            finalValidationELBO: Self.number(json["final_validation_elbo"]), bestValidationELBO: Self.number(json["best_validation_elbo"]),
            bestEpoch: Self.number(json["best_epoch"]).map { Int(saturating: $0) }, reconstruction: Self.number(json["validation_reconstruction"]),
            kl: numbers(json["validation_kl"]), activeUnits: numbers(json["active_units"]).map { ($0.name, Int(saturating: $0.value)) },
            dimensions: numbers(json["latent_dimensions"]).map { ($0.name, Int(saturating: $0.value)) },
            mutualInformation: numbers(json["mutual_information"]), settleEpoch: Self.number(json["settle_epoch"]).map { Int(saturating: $0) },
            lateWobble: Self.number(json["late_wobble"]),
            verdicts: (json["collapse"]?.members ?? []).compactMap { member in
                if case .string(let text) = member.value.kind { return (member.key, text) }
                return nil
            },
            seconds: Self.number(json["seconds"]) ?? 0, sessions: Self.number(json["sessions"]).map { Int(saturating: $0) } ?? 1,
            validationCurve: curve(curves?["validation_elbo"]),
            betaCurves: (curves?["beta"]?.members ?? []).map { ($0.key, curve($0.value)) },
            activeUnitsCurve: curve(curves?["active_units"]), mutualInformationCurve: curve(curves?["mutual_information"]),
            disentanglement: (json["disentanglement"]?.members ?? []).map { ($0.key, Self.number($0.value)) })
    }

    /// Reads `path` (a result.json), or nil when it is missing or damaged. A result recorded before results held
    /// the disentanglement figures takes them from the `disentanglement.json` beside it.
    public static func load(_ path: String) -> TrialResult? {
        guard let value = SweepFolder.readJSON(path), var result = try? TrialResult(json: value, file: path) else { return nil }
        if value["disentanglement"] == nil {
            result.disentanglement = readDisentanglement(runDirectory: URL(fileURLWithPath: path).deletingLastPathComponent().path)
        }
        return result
    }
}
