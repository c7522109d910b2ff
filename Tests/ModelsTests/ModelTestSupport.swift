import JSONConfig
@testable import Layers
@testable import Models
@testable import Tensors

/// Builds models and batches for the model tests.
enum ModelTestSupport {
    /// Every registered model type with small sizes (latent 2, or 2 and 3 for two latents).
    static func specifications() throws -> [any ModelSpecification] {
        try ModelRegistry.definitions.map { definition in
            let all = try JSONParser.parse(#"{"global_latent_dim": 2, "local_latent_dim": 3, "latent_dim_b": 3}"#)
            let members = (all.members ?? []).filter { definition.keys.contains($0.key) }
            let section = try ConfigObject(JSONValue.object(members.map { ($0.key, $0.value) }))
            return try definition.read(section, ModelTypeDefinition.Context(defaultLatentSize: 2))
        }
    }

    /// A batch of `x` (rows × features) reconstructing its own values, with one-hot `labels` as conditions when
    /// `conditioned`.
    static func batch<Scalar>(_ x: Tensor<Scalar>, labels: [Int32], classes: Int, conditioned: Bool, in graph: Graph<Scalar>) -> ModelBatch<Scalar> {
        let input = graph.constant(x)
        var conditions: Graph<Scalar>.Variable?
        if conditioned {
            conditions = graph.oneHot(graph.labels(rows: x.rows, columns: 1) { for i in $0.indices { $0[i] = labels[i] } }, classes: classes)
        }
        return ModelBatch(input: input, target: .values(input), conditions: conditions)
    }
}
