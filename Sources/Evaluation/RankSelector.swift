/// The `rank`-th smallest value of a row (rank 1 is the minimum), kept with a sorted buffer of the `rank`
/// smallest values seen: one comparison per value once the buffer is full, an insertion only for a new
/// small value. Ties count separately: in [0, 0, 1] the 2nd smallest is 0.
struct RankSelector {
    let rank: Int
    private var smallest: [Double]

    init(rank: Int) {
        precondition(rank >= 1)
        self.rank = rank
        smallest = []
        smallest.reserveCapacity(rank)
    }

    /// The `rank`-th smallest of `values`, which holds at least `rank` values.
    mutating func select(_ values: UnsafeBufferPointer<Double>) -> Double {
        precondition(values.count >= rank, "\(values.count) values have no \(rank)-th smallest")
        smallest.removeAll(keepingCapacity: true)
        for index in 0..<rank { smallest.append(values[index]) }
        smallest.sort()
        var largestKept = smallest[rank - 1]
        smallest.withUnsafeMutableBufferPointer { kept in
            for index in rank..<values.count {
                let value = values[index]
                guard value < largestKept else { continue }
                var position = rank - 1
                while position > 0 && kept[position - 1] > value {
                    kept[position] = kept[position - 1]
                    position -= 1
                }
                kept[position] = value
                largestKept = kept[rank - 1]
            }
        }
        return largestKept
    }
}
