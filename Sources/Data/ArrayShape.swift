/// Checks on the shapes that binary files declare, made before anything is allocated.
enum ArrayShape {
    /// The number of values in `shape`, or nil when it cannot be a file's: when the product of its
    /// dimensions overflows 64 bits, zeros counted as ones (so `(0, 2³², 2³²)` is refused too: it has no
    /// values, but every row would have 2⁶⁴ features, and no count derived from it may overflow).
    static func count(_ shape: [Int]) -> Int? {
        var bound = 1
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = bound.multipliedReportingOverflow(by: max(1, dimension))
            guard !overflow else { return nil }
            bound = product
            count = dimension == 0 ? 0 : count * dimension
        }
        return count
    }

    /// The shape as NumPy prints it: `(2, 3)`, `(5,)`, `()`.
    static func describe(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }
}
