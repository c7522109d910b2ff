/// The first rows of a file being read, given to `DataReadOptions.earlyCheck` before the rest is read: enough
/// to tell that the data does not suit the model (values outside [0, 1] for a Bernoulli likelihood, labels
/// that are not class indices) before a long load finishes.
public struct DataPreview: Sendable {
    /// The file being read.
    public var file: String
    /// The type of the values in the file.
    public var elementType: NumericElementType
    /// Rows in `values`.
    public var rows: Int
    /// Features per row (for CSV, the columns other than the label column).
    public var columns: Int
    /// The first `rows` rows, row-major, as the reader will return them.
    public var values: [Float]
    /// Their labels, when the file has a label column (CSV with `labelColumn`).
    public var labels: [Double]?
    /// The smallest value in `values` in the file's precision, NaN skipped (nil if none).
    public var minimum: Double?
    /// The largest value in `values`, like `minimum`.
    public var maximum: Double?
    /// Rows in the whole file, when the reader knows them before reading it (.npy and IDX; nil for CSV).
    public var totalRows: Int?

    public init(file: String, elementType: NumericElementType, rows: Int, columns: Int, values: [Float], labels: [Double]? = nil,
                minimum: Double?, maximum: Double?, totalRows: Int?) {
        self.file = file
        self.elementType = elementType
        self.rows = rows
        self.columns = columns
        self.values = values
        self.labels = labels
        self.minimum = minimum
        self.maximum = maximum
        self.totalRows = totalRows
    }
}
