import JSONConfig
@testable import Layers
@testable import Models
@testable import Tensors

/// Builds models and batches for the model tests.
enum ModelTestSupport {
    /// Every registered model type with small sizes (latent 2, or 2 and 3 for two latents), then each type that
    /// can place its latents on the Poincaré ball with `latent_geometry: "poincare"` (curvature 1.5, so the
    /// checks do not lean on c = 1).
    static func specifications() throws -> [any ModelSpecification] {
        let euclidean = try ModelRegistry.definitions.map { try read($0, #"{"global_latent_dim": 2, "local_latent_dim": 3, "latent_dim_b": 3}"#) }
        let poincare = try ModelRegistry.definitions.filter { $0.name != "hierarchical_cvae" }.map { definition in
            try read(definition, #"{"latent_dim_b": 3, "latent_geometry": "poincare", "curvature": 1.5}"#)
        }
        return euclidean + poincare
    }

    static func read(_ definition: ModelTypeDefinition, _ json: String) throws -> any ModelSpecification {
        let all = try JSONParser.parse(json)
        let members = (all.members ?? []).filter { definition.keys.contains($0.key) }
        let section = try ConfigObject(JSONValue.object(members.map { ($0.key, $0.value) }))
        return try definition.read(section, ModelTypeDefinition.Context(defaultLatentSize: 2))
    }

    /// A batch of `x` (rows × features) reconstructing its own values, with one-hot `labels` as conditions when
    /// `conditioned`, and difficulties 0, 4, 9, 0, 4, 9, … (the ternary operations' valuations) for the radial loss.
    static func batch<Scalar>(_ x: Tensor<Scalar>, labels: [Int32], classes: Int, conditioned: Bool, in graph: Graph<Scalar>) -> ModelBatch<Scalar> {
        let input = graph.constant(x)
        var conditions: Graph<Scalar>.Variable?
        if conditioned {
            conditions = graph.oneHot(graph.labels(rows: x.rows, columns: 1) { for i in $0.indices { $0[i] = labels[i] } }, classes: classes)
        }
        let difficulty = graph.constant(rows: x.rows, columns: 1) { for i in $0.indices { $0[i] = Scalar([0, 4, 9][i % 3]) } }
        return ModelBatch(input: input, target: .values(input), conditions: conditions, difficulty: difficulty)
    }
}
