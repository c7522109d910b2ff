import JSONConfig
import Schedules
import Tensors

/// KL thresholding ("free bits"), applied to the optimised objective only; the reported ELBO always uses the
/// true KL.
///
/// - `per_dimension` (default): Σ_j max(λ, mean over the batch of KL_j), per latent dimension j (Kingma et
///   al. 2016, openai/iaf): the floor is applied after the batch mean.
/// - `per_example`: mean over the batch of max(KL_x, λ·D), the total per example (the World Models variant):
///   the floor is applied before the batch mean.
///
/// Config: `training.free_bits = 0.1` or `{"lambda": 0.1, "variant": "per_dimension"}`; 0 or `null` is off.
public struct FreeBits: TermShaping, Hashable {
    public enum Variant: String, CaseIterable, Codable, Sendable {
        case perDimension = "per_dimension"
        case perExample = "per_example"
    }

    public var lambda: Double
    public var variant: Variant

    public init(lambda: Double, variant: Variant = .perDimension) {
        self.lambda = lambda
        self.variant = variant
    }

    public static let definition = LossShapingDefinition(key: "free_bits", meaning: "a KL floor in nats per latent dimension (Kingma et al. 2016) or per example") { node, _ throws(ConfigError) in
        let freeBits: FreeBits
        switch node.value.kind {
        case .null:
            return nil
        case .number:
            let lambda = try node.number()
            if lambda < 0 { throw node.error("must be ≥ 0 nats, got \(node.value.briefDescription)") }
            freeBits = FreeBits(lambda: lambda)
        default:
            let object = try node.object()
            let lambdaNode = try object.required("lambda", "the KL floor in nats")
            let lambda = try lambdaNode.number()
            if lambda < 0 { throw lambdaNode.error("must be ≥ 0 nats, got \(lambdaNode.value.briefDescription)") }
            let names = Variant.allCases.map(\.rawValue)
            let variant = Variant(rawValue: try object.node("variant")?.choice(names, what: "free_bits variant") ?? "per_dimension")!
            try object.finish(context: "free_bits")
            freeBits = FreeBits(lambda: lambda, variant: variant)
        }
        return freeBits.lambda > 0 ? LossShapingDefinition.Setup(shaping: freeBits) : nil
    }

    public var key: String { "free_bits" }
    public var json: JSONValue { .object([("lambda", .number(lambda)), ("variant", .string(variant.rawValue))]) }
    public var summary: String { "free bits \(lambda) nats \(variant == .perDimension ? "per dimension" : "per example")" }

    public func reduce<Scalar: TensorScalar>(_ term: Graph<Scalar>.Variable, quantities: QuantityReading, in graph: Graph<Scalar>) -> Graph<Scalar>.Variable {
        switch variant {
        case .perDimension:  // Σ_j max(λ, mean_batch KL_j)
            return graph.sum(graph.clampMin(graph.sumOverRows(term, mean: true), lambda))
        case .perExample:  // mean_x max(KL_x, λ·D)
            let dimensions = Double(graph.shape(term).columns)
            return graph.mean(graph.clampMin(graph.sumOverColumns(term), lambda * dimensions))
        }
    }
}
