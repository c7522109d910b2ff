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
        guard case .categorical = dataset.kind, !indices.isEmpty else { return nil }
        return PosteriorMeanPass.run(model: model, dataset: dataset, indices: indices, conditioned: conditioned, context: context,
                                     batchSize: batchSize, graph: graph).coverage
    }
}
