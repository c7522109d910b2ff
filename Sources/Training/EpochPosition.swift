import Tensors

/// Where an interrupted epoch stopped: its order of examples, the next batch, and the sums so far.
///
/// The order is saved as the random generator it was drawn from (`orderGenerator`): the sampler draws it again on
/// resume, so a checkpoint does not grow with the data set. Checkpoints written before that hold the order itself
/// (`order`; empty when `orderGenerator` is saved).
public struct EpochPosition: Codable, Equatable, Sendable {
    public var epoch: Int
    public var order: [Int]
    public var orderGenerator: RandomGenerator?
    public var nextBatch: Int
    public var sums: EpochSums
    /// Every quantity's value at the epoch's start (what the epoch's metrics report), when saved.
    public var startValues: [Double]?
    /// The quantities' names in the order of `startValues` and `sums.quantitySums`, so a plan whose order
    /// changed (a newer anneal) still reads them by name.
    public var quantityNames: [String]?

    /// The keys as checkpoints have always written them; the newer one in snake_case.
    enum CodingKeys: String, CodingKey {
        case epoch, order, orderGenerator = "order_generator", nextBatch, sums, startValues, quantityNames
    }

    public init(epoch: Int, order: [Int], orderGenerator: RandomGenerator? = nil, nextBatch: Int, sums: EpochSums, startValues: [Double]? = nil,
                quantityNames: [String]? = nil) {
        self.epoch = epoch
        self.order = orderGenerator == nil ? order : []
        self.orderGenerator = orderGenerator
        self.nextBatch = nextBatch
        self.sums = sums
        self.startValues = startValues
        self.quantityNames = quantityNames
    }

    /// `startValues` and the quantity sums reordered for quantities named `names`. Without saved names the
    /// order cannot be trusted unless it is the same length, and the values are dropped (the metrics of the
    /// interrupted epoch then report the start values recomputed from the schedules).
    func reordered(for names: [String]) -> (startValues: [Double]?, quantitySums: [Double]) {
        guard let saved = quantityNames else {
            let fits = startValues?.count == names.count
            return (fits ? startValues : nil, sums.quantitySums.count == names.count ? sums.quantitySums : [])
        }
        if saved == names { return (startValues, sums.quantitySums) }
        let positions = names.map { saved.firstIndex(of: $0) }
        guard positions.allSatisfy({ $0 != nil }) else { return (nil, []) }
        let values = startValues.flatMap { values in values.count == saved.count ? positions.map { values[$0!] } : nil }
        let quantitySums = sums.quantitySums.count == saved.count ? positions.map { sums.quantitySums[$0!] } : []
        return (values, quantitySums)
    }
}
