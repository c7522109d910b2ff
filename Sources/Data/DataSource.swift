import Foundation

/// Where a run's examples come from (config `data`): a built-in set or a file.
public struct DataSource: Hashable, Codable, Sendable {
    public enum Kind: String, CaseIterable, Codable, Sendable {
        case ternaryOperations = "ternary_operations"
        case shapes
        case npy
        case csv
        case idx
    }

    public var kind: Kind
    /// The data file (npy, csv, idx).
    public var path: String?
    /// A separate file of labels (npy or idx; one integer per example).
    public var labelsPath: String?
    /// For CSV: the label column, by header name or 0-based index.
    public var labelColumn: String?

    public init(kind: Kind, path: String? = nil, labelsPath: String? = nil, labelColumn: String? = nil) {
        self.kind = kind
        self.path = path
        self.labelsPath = labelsPath
        self.labelColumn = labelColumn
    }

    /// Loads the examples. Bad files are `DataError`s naming the file and what is wrong. `options` reach the
    /// readers of the data file (progress, the early check on the first rows); labels files are read with
    /// the defaults.
    public func load(options: DataReadOptions = DataReadOptions()) throws(DataError) -> Dataset {
        switch kind {
        case .ternaryOperations: return TernaryOperations.dataset()
        case .shapes: return ProceduralShapes.dataset()
        case .npy, .idx:
            let path = path!
            let array = kind == .npy ? try NPYReader.read(path, options: options) : try IDXReader.read(path, options: options)
            let labels = try labelsPath.map { labelsPath throws(DataError) -> [Double] in
                let labelArray = labelsPath.hasSuffix(".npy") ? try NPYReader.read(labelsPath) : try IDXReader.read(labelsPath)
                guard labelArray.columns == 1 else {
                    throw DataError(file: labelsPath, "must hold one label per example (shape (N,)), its shape is \(labelArray.shape)")
                }
                return labelArray.values.map(Double.init)
            }
            return try Self.dataset(array, labels: labels, file: path, labelsFile: labelsPath)
        case .csv:
            let table = try CSVReader.read(path!, labelColumn: labelColumn, options: options)
            return try Self.dataset(table.features, labels: table.labels, file: path!, labelsFile: path!)
        }
    }

    /// Checks and converts a loaded array: finite values, integer labels that match the examples; uint8 data
    /// above 1 (image pixels 0–255) is scaled to [0, 1].
    static func dataset(_ array: NumericArray, labels: [Double]?, file: String, labelsFile: String?) throws(DataError) -> Dataset {
        guard array.shape.count >= 1, array.rows > 0, array.columns > 0 else {
            throw DataError(file: file, "holds no examples (shape \(array.shape))")
        }
        if array.shape.count == 1 {
            throw DataError(file: file, "is one-dimensional (shape \(array.shape)); examples must be rows of features, shape (N, D) or (N, …)")
        }
        if let bad = array.firstNonFinite {
            throw DataError(file: file, "example \(bad.row), feature \(bad.column) is \(bad.value); data must not contain NaN or infinity (nor values beyond single precision, ±3.4e38)")
        }
        var features = array.values
        if array.elementType == .uint8, (features.max() ?? 0) > 1 {
            for i in features.indices { features[i] /= 255 }
        }
        var labelValues: [Int32]?
        var classCount = 0
        if let labels {
            guard labels.count == array.rows else {
                throw DataError(file: labelsFile, "has \(labels.count) labels for \(array.rows) examples in \(file)")
            }
            if let bad = labels.firstIndex(where: { !$0.isFinite || $0 < 0 || $0 != $0.rounded() || $0 > 1_000_000 }) {
                throw DataError(file: labelsFile, "label \(bad) is \(labels[bad]); labels must be whole numbers ≥ 0 (class indices)")
            }
            labelValues = labels.map { Int32($0) }
            classCount = Int(labels.max() ?? 0) + 1
        }
        var imageShape: (width: Int, height: Int)?
        if array.shape.count == 3 { imageShape = (array.shape[2], array.shape[1]) }
        let name = URL(fileURLWithPath: file).lastPathComponent
        return Dataset(name: name, count: array.rows, featureCount: array.columns, features: features, labels: labelValues,
                       classCount: classCount, imageShape: imageShape)
    }
}
