import Data
import Models
import Tensors

/// The representation disentanglement metrics score: each example's posterior mean (temperature 0), the latent
/// blocks (one per KL term: a hierarchical model's global and local, a dual model's A and B) side by side.
public struct RepresentationEncoder {
    public let model: any LatentVariableModel<Float>
    public let conditioned: Bool
    public let context: ForwardContext
    /// Each block's name and its columns in the code.
    public let blocks: [(name: String, columns: Range<Int>)]
    public var width: Int { blocks.last?.columns.upperBound ?? 0 }
    let graph = Graph<Float>()

    public init(model: any LatentVariableModel<Float>, conditioned: Bool, context: ForwardContext) {
        self.model = model
        self.conditioned = conditioned
        var zeroTemperature = context
        zeroTemperature.temperature = 0
        self.context = zeroTemperature
        var blocks: [(name: String, columns: Range<Int>)] = []
        var start = 0
        for term in model.terms where term.role == .kl {
            blocks.append((term.name, start..<(start + term.columns)))
            start += term.columns
        }
        self.blocks = blocks
    }

    /// The codes of `rows` of `dataset`, row-major rows × `width`, in batches of 256.
    public func codes(_ dataset: Dataset, rows: [Int]) -> [Float] {
        let assembler = BatchAssembler(dataset: dataset, conditioned: conditioned)
        var noise = RandomGenerator(seed: 0)
        var result = [Float]()
        result.reserveCapacity(rows.count * width)
        var start = 0
        while start < rows.count {
            let batch = rows[start..<min(rows.count, start + 256)]
            graph.reset()
            let output = model.forward(assembler.batch(batch, in: graph), context: context, noise: &noise, in: graph)
            let means = output.posteriorMeans.map { graph.value($0) }
            for row in 0..<batch.count {
                for (block, values) in zip(blocks, means) {
                    let size = block.columns.count
                    result += values[(row * size)..<((row + 1) * size)]
                }
            }
            start += 256
        }
        return result
    }
}
