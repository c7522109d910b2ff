import Layers
import Tensors

/// One network of a model as a user calls it outside anneal (an ONNX graph, a PyTorch module): its name (the
/// prefix of its parameters), what it reads in order and what it gives. The main input is the data (an example as
/// training read it) or a latent code; the side inputs are joined, in order, where `Network` joins them (before
/// the first layer that reads flat features): [features(x), y] for a conditional encoder, [z, y] for a decoder.
///
/// An encoder's output is the posterior's statistics of one latent block (μ then log σ², `latentSize` each)
/// in its `geometry`; a decoder's is the likelihood's parameters. A dual VAE's decoder reads [z_A, c·z_B]:
/// `scaledColumns` names the first column multiplied by c and the model quantity c is.
public struct CallableNetwork<Scalar: TensorScalar>: Sendable {
    /// What the network reads first.
    public enum Input: Sendable, Equatable {
        /// An example (flat features, or a C × H × W image).
        case data
        /// A latent code of `width` columns, named `name` (`z`, `z_global`).
        case latent(name: String, width: Int)
    }

    /// What it gives.
    public enum Role: Sendable {
        /// The statistics of one latent block: μ (a tangent vector at the origin on the Poincaré ball), then log σ².
        case encoder(latentSize: Int, geometry: any LatentGeometry)
        /// The likelihood's parameters.
        case decoder
    }

    public var name: String
    public var network: Network<Scalar>
    public var input: Input
    /// The side inputs, in the order they are joined: the one-hot label `y`, the global code `z_global`.
    public var sides: [(name: String, width: Int)]
    public var role: Role
    /// Latent columns from `start` on are multiplied by model quantity `quantity` (a dual VAE's `B_contribution`).
    public var scaledColumns: (start: Int, quantity: Int)?

    public init(name: String, network: Network<Scalar>, input: Input, sides: [(name: String, width: Int)], role: Role,
                scaledColumns: (start: Int, quantity: Int)? = nil) {
        self.name = name
        self.network = network
        self.input = input
        self.sides = sides
        self.role = role
        self.scaledColumns = scaledColumns
    }
}
