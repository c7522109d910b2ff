/// A row-major matrix of scalars with value semantics (copy on write). Everything an MLP VAE computes is a
/// matrix: a batch is rows × features, a bias is 1 × features, a loss is 1 × 1.
public struct Tensor<Scalar: TensorScalar>: Equatable, Sendable, CustomStringConvertible {
    public let rows: Int
    public let columns: Int
    public private(set) var storage: TensorStorage<Scalar>

    public init(rows: Int, columns: Int, repeating value: Scalar = 0) {
        precondition(rows >= 0 && columns >= 0, "a tensor's shape cannot be negative")
        self.rows = rows
        self.columns = columns
        storage = TensorStorage(count: rows * columns, repeating: value)
    }

    /// A tensor from row-major `scalars` (`rows·columns` of them).
    public init(rows: Int, columns: Int, scalars: [Scalar]) {
        precondition(scalars.count == rows * columns, "\(scalars.count) scalars for a \(rows) × \(columns) tensor")
        self.rows = rows
        self.columns = columns
        storage = scalars.withUnsafeBufferPointer { TensorStorage(copying: $0.baseAddress!, count: scalars.count) }
    }

    /// A tensor whose rows are `rows`.
    public init(_ rows: [[Scalar]]) {
        let columns = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == columns }, "rows of different lengths")
        self.init(rows: rows.count, columns: columns, scalars: rows.flatMap { $0 })
    }

    /// A copy of `count = rows·columns` scalars from `pointer`.
    public init(rows: Int, columns: Int, copying pointer: UnsafePointer<Scalar>) {
        self.rows = rows
        self.columns = columns
        storage = TensorStorage(copying: pointer, count: rows * columns)
    }

    public var count: Int { rows * columns }
    public var scalars: [Scalar] { Array(UnsafeBufferPointer(start: storage.pointer, count: count)) }

    public subscript(row: Int, column: Int) -> Scalar {
        get {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "index out of range")
            return storage.pointer[row * columns + column]
        }
        set {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "index out of range")
            makeUnique()
            storage.pointer[row * columns + column] = newValue
        }
    }

    /// Read access to the scalars.
    public func withUnsafeBufferPointer<Result>(_ body: (UnsafeBufferPointer<Scalar>) throws -> Result) rethrows -> Result {
        try body(UnsafeBufferPointer(start: storage.pointer, count: count))
    }

    /// Write access to the scalars (copies first when the storage is shared).
    public mutating func withUnsafeMutableBufferPointer<Result>(_ body: (UnsafeMutableBufferPointer<Scalar>) throws -> Result) rethrows -> Result {
        makeUnique()
        return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: count))
    }

    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) {
            storage = TensorStorage(copying: storage.pointer, count: count)
        }
    }

    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        lhs.rows == rhs.rows && lhs.columns == rhs.columns && lhs.scalars == rhs.scalars
    }

    public var description: String { "Tensor(\(rows) × \(columns))" }
}
