import Foundation
import JSONConfig

/// One `--set KEY.PATH=V1,V2,…` flag: a key path into the run config and the values it takes. Axes are
/// crossed with each other, with the schedules and with the seeds; an axis with one value is a plain
/// override.
///
/// Values are JSON (`0.001`, `true`, `[64,64]`, `{"type":"sgd"}`, `"a b"`), separated by commas outside
/// brackets, braces and strings; a bare word that is not JSON (`adam`, `per_dimension`) is read as a string.
/// Key paths name object keys separated by dots; they are checked when each trial's config is read, by the
/// same reader `anneal train` uses, so an unknown key or a bad value is the error training would give.
public struct SweepAxis: Sendable, Equatable {
    /// The key path's components (`["training", "learning_rate"]`).
    public var path: [String]
    /// The values, in the order given.
    public var values: [JSONValue]
    /// Each value as written on the command line.
    public var texts: [String]

    /// `training.learning_rate`.
    public var keyPath: String { path.joined(separator: ".") }

    public init(path: [String], values: [JSONValue], texts: [String]) {
        self.path = path
        self.values = values
        self.texts = texts
    }

    /// Reads `KEY.PATH=V1,V2,…`.
    public static func parse(_ argument: String) throws(SweepError) -> SweepAxis {
        guard let equals = argument.firstIndex(of: "=") else {
            throw SweepError.usage("--set \(argument): expected KEY.PATH=VALUE[,VALUE…], e.g. --set training.learning_rate=0.001,0.003")
        }
        let keyText = String(argument[..<equals])
        let valueText = String(argument[argument.index(after: equals)...])
        let path = keyText.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !keyText.isEmpty, path.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }) else {
            throw SweepError.usage("--set \(argument): the key path \(MessageText.quoted(keyText)) must be keys of letters, digits and underscores separated by dots, e.g. training.learning_rate")
        }
        if path.count < 2 {
            throw SweepError.usage("--set \(argument): \(keyText) is a whole section; set a key inside it, e.g. \(keyText).\(keyText == "training" ? "learning_rate" : keyText == "model" ? "latent_dim" : "key")")
        }
        let pieces = try split(valueText, argument: argument)
        var values: [JSONValue] = []
        for piece in pieces {
            values.append(try value(piece, keyPath: keyText))
        }
        var seen: [String] = []
        for (index, value) in values.enumerated() {
            let canonical = JSONWriter.compact(value)
            if seen.contains(canonical) {
                throw SweepError.usage("--set \(keyText): the value \(pieces[index]) is given twice")
            }
            seen.append(canonical)
        }
        return SweepAxis(path: path, values: values, texts: pieces)
    }

    /// Splits at commas outside brackets, braces and strings.
    static func split(_ text: String, argument: String) throws(SweepError) -> [String] {
        var pieces: [String] = []
        var current = ""
        var depth = 0
        var inString = false
        var escaped = false
        for character in text {
            if inString {
                current.append(character)
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                continue
            }
            switch character {
            case "\"": inString = true; current.append(character)
            case "[", "{": depth += 1; current.append(character)
            case "]", "}": depth -= 1; current.append(character)
            case "," where depth == 0:
                pieces.append(current)
                current = ""
            default: current.append(character)
            }
        }
        pieces.append(current)
        let trimmed = pieces.map { $0.trimmingCharacters(in: .whitespaces) }
        if let empty = trimmed.firstIndex(where: \.isEmpty) {
            throw SweepError.usage("--set \(argument): value \(empty + 1) is empty; give values separated by commas, e.g. 0.001,0.003")
        }
        return trimmed
    }

    /// One value: JSON, or a bare word read as a string.
    static func value(_ text: String, keyPath: String) throws(SweepError) -> JSONValue {
        let parsed: JSONValue
        do {
            parsed = try JSONParser.parse(text)
        } catch {
            let isWord = text.first.map { $0.isLetter || $0 == "_" } == true && text.allSatisfy { $0.isLetter || $0.isNumber || "_-.".contains($0) }
            if isWord && !["NaN", "Infinity", "nan", "inf"].contains(text) { return .string(text) }
            throw SweepError.usage("--set \(keyPath)=\(text): \(MessageText.quoted(text)) is not a JSON value (\(error.message)); values are JSON numbers, true/false/null, [arrays], {objects}, \"strings\" or bare words")
        }
        if !isFinite(parsed) {
            throw SweepError.usage("--set \(keyPath)=\(text): \(text) is not a JSON value: numbers must be finite (no NaN or Infinity)")
        }
        return withoutPositions(parsed)
    }

    /// Whether every number in `value` is finite (the parser accepts Python's `NaN` and `Infinity`).
    static func isFinite(_ value: JSONValue) -> Bool {
        switch value.kind {
        case .number(let number, _): return number.isFinite
        case .array(let values): return values.allSatisfy(isFinite)
        case .object(let members): return members.allSatisfy { isFinite($0.value) }
        default: return true
        }
    }

    /// The value with every source position removed, so errors about it do not point into the flag's text as
    /// if it were the config file.
    static func withoutPositions(_ value: JSONValue) -> JSONValue {
        switch value.kind {
        case .array(let values): return JSONValue(.array(values.map(withoutPositions)))
        case .object(let members): return JSONValue(.object(members.map { JSONMember(key: $0.key, value: withoutPositions($0.value)) }))
        default: return JSONValue(value.kind)
        }
    }
}
