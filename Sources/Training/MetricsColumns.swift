import JSONConfig

/// The columns of `metrics.csv`: one `metrics.jsonl` line flattened by a fixed rule, so the two files always
/// agree and the CSV can be rebuilt from the JSON lines.
///
/// - Numbers at the top level keep their key (`epoch`, `loss`, `validation_elbo`); `kl_total` is left out
///   (it repeats `kl` for a one-term model), and so is `learning_rate` when the line's quantities hold `lr`
///   (the same learning rate: the column `lr`, with `lr_mean` its mean over the epoch).
/// - Objects of per-term values become `<key>_<term>` (`kl_global`, `active_units_local`), or just `<key>`
///   for a model whose only KL term is `kl` (`kl`, `active_units`, `validation_kl`).
/// - `quantities`, `penalties` and `measurements` give their members' own names (`beta`, `lr`, `temperature`,
///   `radial`, `radius`); `quantity_means` gives `<name>_mean`; `controllers` give `<quantity>_<state>`
///   (`beta_integral`); `beta` is left out (`quantities` holds it).
/// - `disentanglement` gives its figures' names for the whole code (`mig`, `sap`, `gaussian_total_correlation`),
///   whatever the model, and `<block>_<figure>` for each latent block of a model of several (`global_mig`).
/// - `kl_per_dimension` gives `kl_<d>` (one term named `kl`) or `kl_<term>_<d>`.
/// - Values are written as JSON writes them: integers without a fraction (`70`), shortest round-trip decimals,
///   and an empty cell for `null` (a value not measured, or not finite).
public enum MetricsColumns {
    public static func flatten(_ line: JSONValue) -> [(name: String, value: String)] {
        var columns: [(String, String)] = []
        func cell(_ value: JSONValue) -> String {
            if case .number(let number, _) = value.kind, number.isFinite { return JSONValue.literalText(number) }
            if case .bool(let flag) = value.kind { return flag ? "1" : "0" }
            if case .string(let text) = value.kind { return text }
            return ""
        }
        for member in line.members ?? [] {
            let key = member.key
            switch member.value.kind {
            case .object(let inner):
                switch key {
                case "beta": continue
                case "quantities", "penalties", "measurements":
                    columns += inner.map { ($0.key, cell($0.value)) }
                case "quantity_means":
                    columns += inner.map { ("\($0.key)_mean", cell($0.value)) }
                case "controllers":
                    for controller in inner {
                        columns += (controller.value.members ?? []).map { ("\(controller.key)_\($0.key)", cell($0.value)) }
                    }
                case "disentanglement":
                    // `<figure>` for the whole code (mig, sap) whatever the model, `<block>_<figure>` for a block.
                    for block in inner {
                        columns += (block.value.members ?? []).map { (block.key == "whole_code" ? $0.key : "\(block.key)_\($0.key)", cell($0.value)) }
                    }
                case "kl_per_dimension":
                    for term in inner {
                        guard case .array(let values) = term.value.kind else { continue }
                        let prefix = term.key == "kl" ? "kl" : "kl_\(term.key)"
                        columns += values.enumerated().map { ("\(prefix)_\($0.offset)", cell($0.element)) }
                    }
                default:
                    columns += inner.map { ($0.key == "kl" ? key : "\(key)_\($0.key)", cell($0.value)) }
                }
            case .array:
                continue
            default:
                if key == "kl_total" { continue }
                if key == "learning_rate", line["quantities"]?["lr"] != nil { continue }
                columns.append((key, cell(member.value)))
            }
        }
        return columns
    }
}
