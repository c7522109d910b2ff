/// The smallest and largest of a stream of values, NaN skipped.
struct ValueRange: Sendable, Equatable {
    private(set) var minimum: Double?
    private(set) var maximum: Double?

    init() {}

    init(minimum: Double?, maximum: Double?) {
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Takes `value` into the range (NaN is skipped).
    @inline(__always)
    mutating func add(_ value: Double) {
        guard !value.isNaN else { return }
        if minimum.map({ value < $0 }) ?? true { minimum = value }
        if maximum.map({ value > $0 }) ?? true { maximum = value }
    }

    /// The range of both.
    func merged(with other: ValueRange) -> ValueRange {
        var result = self
        if let low = other.minimum { result.add(low) }
        if let high = other.maximum { result.add(high) }
        return result
    }
}
