import Data
import Evaluation
import Models
import Tensors

/// One pass over examples at temperature 0 (each code is its posterior mean): exact reconstruction
/// (coverage) for categorical data, and the codes' radii, for the per-epoch geometry metrics.
///
/// - `coverage`: the share of examples whose arg-max reconstruction is right at every position.
/// - `radii`: ‖z‖ of each example's code, all latent blocks together (on the Poincaré ball, the point's
///   Euclidean norm in the ball, < 1/√c).
/// - `radialCorrelation`: Spearman's ρ between radius and the example's difficulty, when the data has one.
public struct PosteriorMeanPass {
    public var coverage: Double?
    public var radii: [Double]
    public var radialCorrelation: Double?

    public var radiusMean: Double? { radii.isEmpty ? nil : radii.reduce(0, +) / Double(radii.count) }

    public static func run(model: any LatentVariableModel<Float>, dataset: Dataset, indices: [Int], conditioned: Bool,
                           context: ForwardContext = ForwardContext(), batchSize: Int = 1024, graph: Graph<Float> = Graph<Float>(),
                           difficultyRanks: [Double]? = nil) -> PosteriorMeanPass {
        let categorical: (groups: Int, groupSize: Int, categories: [Int32])?
        if case .categorical(let groups, let groupSize) = dataset.kind, let categories = dataset.categories { categorical = (groups, groupSize, categories) } else { categorical = nil }
        let batches = BatchAssembler(dataset: dataset, conditioned: conditioned)
        var noise = RandomGenerator(seed: 0)  // unused at temperature 0, but forward draws it
        var context = context
        context.temperature = 0
        context.computesReconstruction = false
        var exact = 0
        var radii: [Double] = []
        radii.reserveCapacity(indices.count)
        var start = 0
        while start < indices.count {
            let slice = indices[start..<min(indices.count, start + batchSize)]
            graph.reset()
            let output = model.forward(batches.batch(slice, in: graph), context: context, noise: &noise, in: graph)
            let codes = graph.value(output.latent)
            let width = graph.shape(output.latent).columns
            for row in 0..<slice.count {
                var squares = 0.0
                for column in 0..<width { squares += Double(codes[row * width + column]) * Double(codes[row * width + column]) }
                radii.append(squares.squareRoot())
            }
            if let categorical {
                let logits = graph.value(output.decoderOutput)
                let (groups, groupSize) = (categorical.groups, categorical.groupSize)
                for (row, index) in slice.enumerated() {
                    var allRight = true
                    for group in 0..<groups {
                        let base = row * groups * groupSize + group * groupSize
                        var best = 0
                        for k in 1..<groupSize where logits[base + k] > logits[base + best] { best = k }
                        if Int32(best) != categorical.categories[index * groups + group] { allRight = false; break }
                    }
                    if allRight { exact += 1 }
                }
            }
            start += batchSize
        }
        let coverage = categorical != nil && !indices.isEmpty ? Double(exact) / Double(indices.count) : nil
        let correlation = dataset.difficulty.flatMap { difficulty in
            RankCorrelation.spearman(radii, ranksOfY: difficultyRanks ?? Self.difficultyRanks(difficulty, indices: indices))
        }
        return PosteriorMeanPass(coverage: coverage, radii: radii, radialCorrelation: correlation)
    }

    /// The ranks of the examples' difficulties, in `indices` order: what `run` correlates the radii with (a
    /// caller running the pass every epoch over the same indices computes them once).
    public static func difficultyRanks(_ difficulty: [Double], indices: [Int]) -> [Double] {
        RankCorrelation.ranks(indices.map { difficulty[$0] })
    }
}
