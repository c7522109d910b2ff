import Data
import Evaluation
import Foundation
import JSONConfig
import Tensors

/// `anneal evaluate --codes CODES.npy [--factors FACTORS.npy]`: the disentanglement metrics of given codes,
/// without a model. Reads and checks both files (each problem a one-line error naming the file or flag),
/// leaves out factors with a single value (their entropy is 0: no metric can score a code against them),
/// runs the metrics (`DisentanglementTableEvaluation`) and formats them with their definitions, sample sizes,
/// seed and notes.
struct CodeDisentanglement {
    let codesPath: String
    let factorsPath: String?
    let codes: Tensor<Float>
    let factors: GroundTruthFactors?
    var notes: [String] = []

    init(codes codesPath: String, factors factorsPath: String?, factorNames: [String]?) throws {
        self.codesPath = codesPath
        self.factorsPath = factorsPath
        let codeArray = try Self.read(codesPath, flag: "--codes")
        guard codeArray.shape.count <= 2, codeArray.rows >= 1, codeArray.columns >= 1 else {
            throw CommandFailure("--codes \(codesPath): must hold an N × D array of codes (one row per example), its shape is \(codeArray.shape)")
        }
        if let bad = codeArray.firstNonFinite {
            throw CommandFailure("--codes \(codesPath): row \(bad.row), column \(bad.column) is \(bad.value); codes must be finite numbers")
        }
        codes = Tensor(rows: codeArray.rows, columns: codeArray.columns, scalars: codeArray.values)
        guard let factorsPath else {
            if factorNames != nil { throw CommandFailure("--factor-names names the columns of --factors, which is not given") }
            factors = nil
            return
        }
        let array = try Self.read(factorsPath, flag: "--factors")
        guard array.shape.count <= 2, array.columns >= 1 else {
            throw CommandFailure("--factors \(factorsPath): must hold an N × K array of factors (one row per example, one column per factor), its shape is \(array.shape)")
        }
        guard array.rows == codeArray.rows else {
            throw CommandFailure("--factors \(factorsPath): has \(array.rows) rows but --codes \(codesPath) has \(codeArray.rows); each example needs one row in each")
        }
        let k = array.columns
        if let bad = array.values.firstIndex(where: { !$0.isFinite || $0 < 0 || $0 != $0.rounded() }) {
            throw CommandFailure("--factors \(factorsPath): row \(bad / k), factor \(bad % k) is \(array.values[bad]); factors must be whole numbers ≥ 0 (the index of each factor's value)")
        }
        if let maximum = array.maximum, maximum > 16_777_216 {
            throw CommandFailure("--factors \(factorsPath): holds a factor value of \(maximum); factor values are indices, at most 16777216")
        }
        let names = factorNames ?? (0..<k).map { "factor_\($0)" }
        guard names.count == k else {
            throw CommandFailure("--factor-names names \(names.count) factors, but --factors \(factorsPath) has \(k) per example")
        }
        if let empty = names.firstIndex(where: \.isEmpty) { throw CommandFailure("--factor-names: name \(empty + 1) is empty") }
        if Set(names).count != names.count { throw CommandFailure("--factor-names: the names must differ, got \(names.joined(separator: ","))") }
        let all = try GroundTruthFactors(names: names, count: array.rows, values: array.values.map { Int($0) })
        let counts = all.distinctValueCounts
        let kept = (0..<k).filter { counts[$0] >= 2 }
        for factor in 0..<k where counts[factor] < 2 {
            notes.append("factor \(names[factor]) has a single value in every row (entropy 0): it is left out of every metric")
        }
        factors = kept.count == k ? all : (kept.isEmpty ? nil : all.selecting(factors: kept))
        if kept.isEmpty { notes.append("no factor has two values: only the unsupervised scores can be computed") }
    }

    static func read(_ path: String, flag: String) throws -> NumericArray {
        guard FileManager.default.fileExists(atPath: path) else { throw CommandFailure("\(flag) \(path): no such file") }
        guard path.lowercased().hasSuffix(".npy") else { throw CommandFailure("\(flag) \(path): give a .npy file") }
        do { return try NPYReader.read(path) } catch { throw CommandFailure("\(flag) \(error.description)") }
    }

    /// `--metrics a,b`: each a known key; nil (not given) → every metric the inputs allow.
    func metrics(_ list: String?) throws -> [DisentanglementMetric] {
        guard let list else {
            return factors == nil ? [.unsupervised] : DisentanglementMetric.allCases
        }
        let known = DisentanglementMetric.allCases.map(\.rawValue).joined(separator: ", ")
        var chosen = [DisentanglementMetric]()
        for name in list.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
            guard let metric = DisentanglementMetric(rawValue: name) else {
                throw CommandFailure("--metrics: unknown metric \"\(name)\"; the metrics are \(known)")
            }
            if metric.needsFactors && factors == nil {
                throw CommandFailure(factorsPath == nil ? "--metrics \(metric.rawValue) needs the examples' factors: give --factors FACTORS.npy"
                                     : "--metrics \(metric.rawValue) needs a factor with two values; --factors \(factorsPath!) has none")
            }
            if !chosen.contains(metric) { chosen.append(metric) }
        }
        return chosen
    }

    func evaluate(metrics: [DisentanglementMetric], seed: UInt64) throws -> [any DisentanglementResult] {
        do {
            return try DisentanglementTableEvaluation.evaluate(codes: codes, factors: factors, metrics: metrics, seed: seed)
        } catch {
            throw CommandFailure(error.description)
        }
    }

    func text(_ results: [any DisentanglementResult], seed: UInt64) -> String {
        var lines = ["Disentanglement of \(codesPath): \(codes.rows) codes of \(codes.columns) dimensions"
                     + (factors.map { " against \(factorsPath!) (\($0.factorCount) factors: \($0.names.joined(separator: ", ")))" } ?? "")
                     + "; seed \(seed)"]
        lines += notes.map { "note: \($0)" }
        for result in results { lines += [""] + Self.lines(result) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One result: its name, each figure, its definition, sample sizes and seed, and notes.
    static func lines(_ result: any DisentanglementResult, indent: String = "") -> [String] {
        var lines = [indent + result.name]
        for figure in result.figures {
            let value = figure.value.map { $0 == $0.rounded() && figure.key == "active_codes" ? String(Int($0)) : String(format: "%.4f", $0) }
            lines.append("\(indent)  \(figure.label): \(value ?? "not defined")")
        }
        lines.append("\(indent)  definition: \(result.definition)")
        lines.append("\(indent)  sample sizes: " + result.sampleSizes.map { "\($0.key.replacingOccurrences(of: "_", with: " ")) \($0.count)" }.joined(separator: ", ")
                     + (result.seed.map { "; seed \($0)" } ?? "; no random draws"))
        lines += result.notes.map { "\(indent)  note: \($0)" }
        return lines
    }

    func json(_ results: [any DisentanglementResult], seed: UInt64) -> JSONValue {
        var input: [(String, JSONValue)] = [("codes", .string(codesPath)), ("examples", .number(codes.rows)), ("dimensions", .number(codes.columns))]
        if let factors {
            input.append(("factors", .string(factorsPath!)))
            input.append(("factor_names", .array(factors.names.map { .string($0) })))
        }
        return .object([
            ("input", .object(input)),
            ("seed", .number(Int(seed))),
            ("notes", .array(notes.map { .string($0) })),
            ("metrics", .object(results.map { result in
                (result.key, .object([
                    ("name", .string(result.name)),
                    ("definition", .string(result.definition)),
                    ("figures", .object(result.figures.map { ($0.key, $0.value.map { .number($0) } ?? .null) })),
                    ("sample_sizes", .object(result.sampleSizes.map { ($0.key, .number($0.count)) })),
                    ("seed", result.seed.map { .number(Int($0)) } ?? .null),
                    ("notes", .array(result.notes.map { .string($0) })),
                ]))
            })),
        ])
    }
}
