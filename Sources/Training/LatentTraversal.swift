import Data
import Models
import Tensors

/// Latent traversals (Higgins et al. 2017's figures): one row per latent dimension, one column per value of that
/// dimension with every other dimension held at a base code, decoded to the likelihood's mean. Rows are ordered by
/// the dimension's KL (mean over the examples, nats, largest first), each latent block (KL term: global and
/// local of a hierarchical model, A and B of a dual one) on its own; a dimension whose posterior mean varies by less
/// than 0.01 over the examples (an inactive unit, Burda et al. 2016) is marked collapsed.
///
/// Base code: the mean of the examples' codes, or one example's (its posterior mean). Values: the prior's range
/// −r…r (r = 3 standard deviations by default) in `steps` even steps, or the quantiles (k + ½)/steps of the
/// dimension's posterior means over the examples (the default on the Poincaré ball, where the decoder reads ball
/// coordinates and the prior's Euclidean range means nothing).
public enum LatentTraversal {
    public enum Values: Sendable, Equatable {
        case priorRange(Double)
        case quantiles
    }

    /// One row of a traversal.
    public struct Row: Sendable {
        /// The block (KL term) and the dimension within it, and within the whole code.
        public var block: String
        public var dimension: Int
        public var codeColumn: Int
        /// The dimension's mean KL over the examples (nats), when the model reports KL per dimension.
        public var kl: Double?
        /// The variance of the dimension's posterior mean over the examples.
        public var variance: Double
        public var collapsed: Bool
        /// The values the dimension takes, one per column.
        public var values: [Float]
    }

    /// One block's traversal: its rows, and the decoded images (rows × steps, row after row; each `featureCount`
    /// values in the model's units).
    public struct Block: Sendable {
        public var name: String
        public var rows: [Row]
        public var images: [Float]
    }

    /// Traverses `model` over the posterior codes of `examples` of `dataset` (at most 4,096 are read), conditioned
    /// on `label` for a conditional model. `base` nil: the mean code; else that example's code.
    public static func traverse(model: any LatentVariableModel<Float>, dataset: Dataset, examples: [Int], conditioned: Bool, label: Int32?,
                                base: Int?, values: Values, steps: Int, context: ForwardContext) -> [Block] {
        let graph = Graph<Float>()
        let width = model.latentWidth
        let klTerms = model.terms.enumerated().filter { $0.element.role == .kl }
        let rows = Array(examples.prefix(4096))
        var codes: [Float] = []
        var klSums = [Double](repeating: 0, count: width)
        var context0 = context
        context0.temperature = 0
        var noise = RandomGenerator(seed: 0)
        let assembler = BatchAssembler(dataset: dataset, conditioned: conditioned)
        var start = 0
        while start < rows.count {
            let batch = rows[start..<min(rows.count, start + 256)]
            graph.reset()
            let output = model.forward(assembler.batch(batch, in: graph), context: context0, noise: &noise, in: graph)
            codes += graph.value(output.latent)
            var column = 0
            for (index, term) in klTerms {
                let values = graph.value(output.terms[index])
                for row in 0..<batch.count {
                    for d in 0..<term.columns where column + d < width {
                        klSums[column + d] += Double(values[row * term.columns + d])
                    }
                }
                column += term.columns
            }
            start += 256
        }
        let n = max(1, rows.count)
        // Blocks: the KL terms' widths when they tile the code, else the whole code as one block.
        var blocks: [(name: String, range: Range<Int>)] = []
        var column = 0
        for (_, term) in klTerms {
            blocks.append((term.name, column..<(column + term.columns)))
            column += term.columns
        }
        if column != width { blocks = [(klTerms.first?.element.name ?? "z", 0..<width)] }
        let perDimensionKL = column == width && klTerms.allSatisfy({ $0.element.columns > 1 || width == 1 })
        var baseCode = [Float](repeating: 0, count: width)
        if let base, let position = rows.firstIndex(of: base) {
            baseCode = Array(codes[(position * width)..<((position + 1) * width)])
        } else if let base {
            graph.reset()
            let output = model.forward(assembler.batch([base][...], in: graph), context: context0, noise: &noise, in: graph)
            baseCode = Array(graph.value(output.latent))
        } else {
            for row in 0..<rows.count { for d in 0..<width { baseCode[d] += codes[row * width + d] / Float(n) } }
        }
        var result: [Block] = []
        for block in blocks {
            var blockRows: [Row] = []
            for d in block.range {
                let column = (0..<rows.count).map { codes[$0 * width + d] }
                let mean = column.reduce(0.0) { $0 + Double($1) } / Double(n)
                let variance = column.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(max(1, n - 1))
                let sorted = column.sorted()
                let points: [Float]
                switch values {
                case .priorRange(let range):
                    points = (0..<steps).map { Float(-range + 2 * range * Double($0) / Double(max(1, steps - 1))) }
                case .quantiles:
                    points = (0..<steps).map { k in sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((Double(k) + 0.5) / Double(steps) * Double(sorted.count)))] }
                }
                blockRows.append(Row(block: block.name, dimension: d - block.range.lowerBound, codeColumn: d,
                                     kl: perDimensionKL ? klSums[d] / Double(n) : nil, variance: variance, collapsed: variance < 0.01, values: points))
            }
            blockRows.sort { ($0.collapsed ? 1 : 0, -($0.kl ?? $0.variance), $0.dimension) < ($1.collapsed ? 1 : 0, -($1.kl ?? $1.variance), $1.dimension) }
            // Decode every row's codes at once (rows × steps codes).
            var latents: [Float] = []
            for row in blockRows {
                for value in row.values {
                    var code = baseCode
                    code[row.codeColumn] = value
                    latents += code
                }
            }
            // Decoded 256 codes at a time: a wide latent times many steps is thousands of images.
            let count = blockRows.count * steps
            var images = [Float]()
            var first = 0
            while first < count {
                let rows = min(256, count - first)
                graph.reset()
                let z = graph.constant(rows: rows, columns: width) { _ = $0.update(fromContentsOf: latents[(first * width)..<((first + rows) * width)]) }
                let conditions = conditioned ? label.map { label in
                    graph.oneHot(graph.labels(rows: rows, columns: 1) { $0.update(repeating: label) }, classes: dataset.classCount)
                } : nil
                images += graph.value(model.reconstructionMean(model.decode(z, conditions: conditions, context: context0, in: graph), in: graph))
                first += rows
            }
            result.append(Block(name: block.name, rows: blockRows, images: images))
        }
        return result
    }

    /// The prior's ±3σ, or the posterior means' quantiles for a model with a latent on the Poincaré ball.
    public static func defaultValues(for model: any LatentVariableModel<Float>) -> Values {
        let onBall = model.callableNetworks.contains { network in
            if case .encoder(_, let geometry) = network.role { return geometry is PoincareGeometry }
            return false
        }
        return onBall ? .quantiles : .priorRange(3)
    }

    /// "row 0: kl dimension 3, KL 2.31 nats; …", one line per row, for the terminal and the report.
    public static func legend(_ block: Block) -> String {
        block.rows.enumerated().map { index, row in
            "row \(index): \(block.name) dimension \(row.dimension), " + (row.kl.map { "KL \(String(format: "%.3g", $0)) nats" } ?? "posterior-mean variance \(String(format: "%.3g", row.variance))")
                + (row.collapsed ? ", collapsed (dimmed)" : "")
        }.joined(separator: "\n")
    }
}
