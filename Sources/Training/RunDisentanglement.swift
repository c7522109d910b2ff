import Data
import Evaluation
import Foundation
import JSONConfig
import Models
import Tensors

/// A trained model's disentanglement against its data's known factors (dsprites' five; `data.factors_path`):
/// the metrics of `DisentanglementTableEvaluation` (disentanglement_lib's definitions) on the posterior means
/// (`RepresentationEncoder`) of `trainCount + testCount` examples drawn without replacement, for the whole code
/// and, for a model of several latent blocks, each block alone. On dsprites, FactorVAE's and the β-VAE score's
/// batches are drawn by the renderer over the full factor grid (`SpriteFactorSampler`); on other data, among the
/// encoded examples that share the fixed value. Factors with one value among the drawn examples are left out, said;
/// so is a metric that cannot be computed (the error is thrown only when none can).
public enum RunDisentanglement {
    public struct Block {
        /// "whole code", or a KL term's name.
        public var name: String
        public var dimensions: Int
        public var results: [any DisentanglementResult]
    }

    /// The sizes at the end of a training run: a fifth of disentanglement_lib's (2,000 + 1,000 examples, 2,000 and
    /// 1,000 FactorVAE votes and β-VAE points), seconds instead of minutes; `anneal evaluate` uses the full ones.
    public static var quickSizes: DisentanglementSampleSizes {
        var sizes = DisentanglementSampleSizes()
        sizes.trainCount = 2_000
        sizes.testCount = 1_000
        sizes.trainBatches = 2_000
        sizes.evalBatches = 1_000
        sizes.varianceEstimateCount = 2_000
        return sizes
    }

    public static func evaluate(model: any LatentVariableModel<Float>, dataset: Dataset, conditioned: Bool, context: ForwardContext,
                                metrics: [DisentanglementMetric], seed: UInt64 = 0,
                                sizes: DisentanglementSampleSizes = DisentanglementSampleSizes(),
                                shouldStop: () -> Bool = { false }) throws(EvaluationError) -> (blocks: [Block], notes: [String]) {
        let prepared = try Prepared(model: model, dataset: dataset, conditioned: conditioned, context: context, metrics: metrics, seed: seed, sizes: sizes)
        var result: [Block] = []
        var notes = prepared.notes
        var firstFailure: EvaluationError?
        for (name, columns) in prepared.blocks {
            var results: [any DisentanglementResult] = []
            for metric in metrics {
                if shouldStop() { throw EvaluationError(metric: "disentanglement", "stopped by a signal before it finished") }
                // A metric that cannot be computed here (a factor with too many values for DCI's classifiers, a
                // block of one dimension) is left out with the reason; the others are kept.
                do {
                    results += try prepared.score(metric, columns: columns, seed: seed, sizes: sizes)
                } catch {
                    firstFailure = firstFailure ?? error
                    notes.append("\(prepared.blocks.count > 1 ? name + ": " : "")\(error.description): left out")
                }
            }
            result.append(Block(name: name, dimensions: columns.count, results: results))
        }
        if let firstFailure, result.allSatisfy({ $0.results.isEmpty }) { throw firstFailure }
        return (result, notes)
    }

    /// The encoded examples and their factors, ready for the metrics: what depends on the data alone is checked
    /// here (factors present when a metric needs them, at least one with two values among the drawn rows).
    struct Prepared {
        let encoder: RepresentationEncoder
        let rows: [Int]
        let codes: [Float]
        let table: GroundTruthFactors?
        let sprites: SpriteImages?
        let notes: [String]
        /// "whole code", then each latent block of a model of several.
        let blocks: [(name: String, columns: Range<Int>)]

        init(model: any LatentVariableModel<Float>, dataset: Dataset, conditioned: Bool, context: ForwardContext,
             metrics: [DisentanglementMetric], seed: UInt64, sizes: DisentanglementSampleSizes) throws(EvaluationError) {
            let needsFactors = metrics.contains { $0.needsFactors }
            if needsFactors && dataset.factors == nil { throw EvaluationError(metric: "disentanglement", "\(dataset.name) has no factors (dsprites has them; give data.factors_path for your data)") }
            encoder = RepresentationEncoder(model: model, conditioned: conditioned, context: context)
            var generator = RandomGenerator(seed: seed)
            let wanted = min(dataset.count, sizes.trainCount + sizes.testCount)
            rows = dataset.count <= wanted ? Array(0..<dataset.count) : Array(generator.permutation(dataset.count).prefix(wanted))
            codes = encoder.codes(dataset, rows: rows)
            var notes = [String]()
            var table: GroundTruthFactors?
            var sprites: SpriteImages?
            if needsFactors, let factors = dataset.factors {
                let k = factors.names.count
                var values = [Int]()
                values.reserveCapacity(rows.count * k)
                for row in rows { for factor in 0..<k { values.append(factors.value(row: row, factor: factor)) } }
                var drawn = try GroundTruthFactors(names: factors.names, count: rows.count, values: values)
                let counts = drawn.distinctValueCounts
                let kept = (0..<k).filter { counts[$0] >= 2 }
                for factor in 0..<k where counts[factor] < 2 { notes.append("factor \(factors.names[factor]) has one value among the \(rows.count) examples drawn: left out") }
                guard !kept.isEmpty else { throw EvaluationError(metric: "disentanglement", "no factor of \(dataset.name) has two values among the \(rows.count) examples drawn") }
                if kept.count < k { drawn = drawn.selecting(factors: kept) }
                table = drawn
                // The renderer draws from the full factor grid: only when the data holds every shape (not data.classes).
                let everyShape = Set(dataset.labels ?? []).count == SpriteImages.factorSizes[0]
                sprites = everyShape && kept.count == k ? (dataset.storage as? SpriteRows)?.images : nil
                if sprites != nil, metrics.contains(.factorVAE) || metrics.contains(.betaVAE) {
                    notes.append("FactorVAE and β-VAE batches are drawn by the dsprites renderer over the full factor grid")
                }
            }
            self.table = table
            self.sprites = sprites
            self.notes = notes
            blocks = encoder.blocks.count > 1 ? [("whole code", 0..<encoder.width)] + encoder.blocks : [("whole code", 0..<encoder.width)]
        }

        /// One metric on the codes' `columns`.
        func score(_ metric: DisentanglementMetric, columns: Range<Int>, seed: UInt64, sizes: DisentanglementSampleSizes) throws(EvaluationError) -> [any DisentanglementResult] {
            if let images = sprites, metric == .factorVAE || metric == .betaVAE {
                var sampler = SpriteFactorSampler(images: images, encoder: encoder, columns: columns)
                return [metric == .factorVAE ? try FactorVAEScore(sampler: &sampler, sizes: sizes, seed: seed)
                                             : try BetaVAEScore(sampler: &sampler, sizes: sizes, seed: seed)]
            }
            var sliced = [Float]()
            sliced.reserveCapacity(rows.count * columns.count)
            for row in 0..<rows.count { sliced += codes[(row * encoder.width + columns.lowerBound)..<(row * encoder.width + columns.upperBound)] }
            let tensor = Tensor(rows: rows.count, columns: columns.count, scalars: sliced)
            return try DisentanglementTableEvaluation.evaluate(codes: tensor, factors: table, metrics: [metric], seed: seed, sizes: sizes)
        }
    }

    /// The file a training run writes its scores to (the quick sizes), beside report.html.
    public static let file = "disentanglement.json"

    /// Every block's results with their definitions, figures (null: not defined), sample sizes, seeds and notes.
    public static func json(_ blocks: [Block], notes: [String], examples: Int, seed: UInt64) -> JSONValue {
        .object([
            ("examples", .number(examples)),
            ("seed", .number(Int(seed))),
            ("notes", .array(notes.map { .string($0) })),
            ("blocks", .array(blocks.map { block in
                .object([
                    ("name", .string(block.name)),
                    ("dimensions", .number(block.dimensions)),
                    ("metrics", .object(block.results.map { result in
                        (result.key, .object([
                            ("name", .string(result.name)),
                            ("definition", .string(result.definition)),
                            ("figures", .object(result.figures.map { ($0.key, $0.value.map { .number($0) } ?? .null) })),
                            ("labels", .object(result.figures.map { ($0.key, .string($0.label)) })),
                            ("sample_sizes", .object(result.sampleSizes.map { ($0.key, .number($0.count)) })),
                            ("seed", result.seed.map { .number(Int($0)) } ?? .null),
                            ("notes", .array(result.notes.map { .string($0) })),
                        ]))
                    })),
                ])
            })),
        ])
    }
}
