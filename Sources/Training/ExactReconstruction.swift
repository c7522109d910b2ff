import Data
import Models
import Tensors

/// Exact reconstruction of categorical data: the share of examples whose reconstruction from the posterior
/// mean (temperature 0) gets every position right (the arg-max class of each group equals the example's).
/// On the ternary operations this is the coverage of the 19,683 operations.
public enum ExactReconstruction {
    /// The fraction of `indices` reconstructed exactly; nil for data that is not categorical. `context` gives
    /// the model's own quantities (its temperature is replaced by 0).
    public static func coverage(model: any LatentVariableModel<Float>, dataset: Dataset, indices: [Int], conditioned: Bool,
                                context: ForwardContext = ForwardContext(), batchSize: Int = 1024, graph: Graph<Float> = Graph<Float>()) -> Double? {
        guard case .categorical(let groups, let groupSize) = dataset.kind, let categories = dataset.categories, !indices.isEmpty else { return nil }
        let batches = BatchAssembler(dataset: dataset, conditioned: conditioned)
        var noise = RandomGenerator(seed: 0)  // unused at temperature 0, but forward draws it
        var context = context
        context.temperature = 0
        var exact = 0
        var start = 0
        while start < indices.count {
            let slice = indices[start..<min(indices.count, start + batchSize)]
            graph.reset()
            let output = model.forward(batches.batch(slice, in: graph), context: context, noise: &noise, in: graph)
            let logits = graph.value(output.decoderOutput)
            for (row, index) in slice.enumerated() {
                var allRight = true
                for group in 0..<groups {
                    let base = row * groups * groupSize + group * groupSize
                    var best = 0
                    for k in 1..<groupSize where logits[base + k] > logits[base + best] { best = k }
                    if Int32(best) != categories[index * groups + group] { allRight = false; break }
                }
                if allRight { exact += 1 }
            }
            start += batchSize
        }
        return Double(exact) / Double(indices.count)
    }
}
