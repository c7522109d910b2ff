/// Where an interrupted epoch stopped: its order of examples, the next batch, and the sums so far.
public struct EpochPosition: Codable, Equatable, Sendable {
    public var epoch: Int
    public var order: [Int]
    public var nextBatch: Int
    public var sums: EpochSums
    /// Every quantity's value at the epoch's start (what the epoch's metrics report), when saved.
    public var startValues: [Double]?

    public init(epoch: Int, order: [Int], nextBatch: Int, sums: EpochSums, startValues: [Double]? = nil) {
        self.epoch = epoch
        self.order = order
        self.nextBatch = nextBatch
        self.sums = sums
        self.startValues = startValues
    }
}
