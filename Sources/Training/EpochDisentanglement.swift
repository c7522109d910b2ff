import Data
import Evaluation
import Models

/// `logging.disentanglement_every`: the cheap disentanglement scores a run records with an epoch's metrics, so a
/// user watches them move with β. On the posterior means of a fixed subset (`sizes`: 1,000 + 500 examples drawn
/// with seed 0 by `RunDisentanglement`, the same rows every epoch), for the whole code and each latent block:
/// MIG (Chen et al. 2018) and SAP (Kumar et al. 2018) against the data's factors, and the Gaussian total
/// correlation and mean pairwise mutual information (disentanglement_lib's unsupervised scores), which need no
/// factors and are all a run on data without factors records. DCI (100 boosting stages per factor) and
/// FactorVAE (thousands of encoded batches) cost far more and stay in `disentanglement.json` at the run's end
/// and in `anneal evaluate`. The draws use their own generators: training's are untouched, so a run with the
/// scores trains exactly as one without, and a resumed run scores as the uninterrupted one.
public enum EpochDisentanglement {
    /// 1,000 examples for MIG and the unsupervised scores; SAP's classifiers train on those and test on 500 more.
    public static var sizes: DisentanglementSampleSizes {
        var sizes = DisentanglementSampleSizes()
        sizes.trainCount = 1_000
        sizes.testCount = 500
        return sizes
    }

    /// The figures recorded per block, by (metric key, figure key) → the name in metrics.jsonl.
    static let recorded: [(metric: String, figure: String, name: String)] = [
        ("mig", "score", "mig"), ("sap", "score", "sap"),
        ("unsupervised", "gaussian_total_correlation", "gaussian_total_correlation"),
        ("unsupervised", "mean_mutual_information", "mean_mutual_information"),
    ]

    /// Whether the epoch (0-based) is scored: epoch 0 and every `every`-th after it (0, n, 2n, …), whatever the
    /// run's length, so a run extended with --epochs or stopped early scores the epochs an uninterrupted run
    /// of any length would. The run's end has its own scores (`RunDisentanglement`, disentanglement.json).
    public static func isDue(epoch: Int, every: Int) -> Bool {
        epoch % every == 0
    }

    /// The figures of each block ("whole_code", then the KL terms' names for a model of several blocks), in
    /// `recorded`'s order. Each metric is computed on its own: one that cannot be (a block of one dimension for
    /// MIG, codes that are not finite) gives nil figures (null in metrics.jsonl), and the others are kept. Throws
    /// only for what depends on the data alone (no factor with two values among the drawn examples), so every
    /// epoch of every session fails alike.
    public static func figures(model: any LatentVariableModel<Float>, dataset: Dataset, conditioned: Bool,
                               context: ForwardContext) throws(EvaluationError) -> [(block: String, figures: [(name: String, value: Double?)])] {
        let metrics: [DisentanglementMetric] = dataset.factors == nil ? [.unsupervised] : [.mig, .sap, .unsupervised]
        let prepared = try RunDisentanglement.Prepared(model: model, dataset: dataset, conditioned: conditioned, context: context,
                                                       metrics: metrics, seed: 0, sizes: sizes)
        var blocks: [(name: String, results: [any DisentanglementResult])] = []
        for (name, columns) in prepared.blocks {
            var results: [any DisentanglementResult] = []
            for metric in metrics {
                if let scored = try? prepared.score(metric, columns: columns, seed: 0, sizes: sizes) { results += scored }
            }
            blocks.append((name, results))
        }
        return blocks.map { block in
            var figures: [(name: String, value: Double?)] = []
            for (metric, figure, name) in recorded where metrics.contains(where: { $0.rawValue == metric }) {
                let result = block.results.first { $0.key == metric }
                figures.append((name, result?.figures.first { $0.key == figure }?.value.flatMap { $0.isFinite ? $0 : nil }))
            }
            return (block.name == "whole code" ? "whole_code" : block.name, figures)
        }
    }
}
