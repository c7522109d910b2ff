/// The shape of one example of a graph value: flat features, or an image of channels × height × width stored
/// row-major per example (NCHW for a batch, as PyTorch stores it). A batch of either is a rows × features matrix
/// in the graph, one example a row, so element-wise operations need not care; convolutions read the image shape,
/// and reshaping between the two is free (`Graph.reshape`).
public enum Layout: Hashable, Sendable, CustomStringConvertible {
    case flat(Int)
    case image(channels: Int, height: Int, width: Int)

    /// Values per example.
    public var count: Int {
        switch self {
        case .flat(let features): return features
        case .image(let channels, let height, let width): return channels * height * width
        }
    }

    /// `256`, `32×16×16`.
    public var description: String {
        switch self {
        case .flat(let features): return "\(features)"
        case .image(let channels, let height, let width): return "\(channels)×\(height)×\(width)"
        }
    }
}
