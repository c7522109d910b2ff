import Foundation

/// Where a run's examples come from (config `data`): a built-in set or a file.
public struct DataSource: Hashable, Codable, Sendable {
    /// The name of a kind in `DataSourceKinds` (`data.source`).
    public struct Kind: RawRepresentable, Hashable, Codable, Sendable, CaseIterable, CustomStringConvertible {
        public let rawValue: String

        /// A registered kind's name; nil for any other.
        public init?(rawValue: String) {
            guard DataSourceKinds.named(rawValue) != nil else { return nil }
            self.rawValue = rawValue
        }

        private init(registered name: String) { rawValue = name }

        public static var allCases: [Kind] { DataSourceKinds.all.map { Kind(registered: $0.name) } }
        /// The kind a path names by its extension (or being a folder), if any.
        public static func claiming(path: String) -> Kind? { DataSourceKinds.all.first { $0.claims(path: path) }.map { Kind(registered: $0.name) } }

        /// What the kind is and does.
        public var definition: any DataSourceKind { DataSourceKinds.named(rawValue)! }
        public var description: String { rawValue }

        public static let ternaryOperations = Kind(registered: "ternary_operations")
        public static let shapes = Kind(registered: "shapes")
        public static let npy = Kind(registered: "npy")
        public static let csv = Kind(registered: "csv")
        public static let idx = Kind(registered: "idx")
        public static let dsprites = Kind(registered: "dsprites")
        public static let pngFolder = Kind(registered: "png_folder")
    }

    public var kind: Kind
    /// The data file (npy, csv, idx).
    public var path: String?
    /// A separate file of labels (npy or idx; one integer per example).
    public var labelsPath: String?
    /// For CSV: the label column, by header name or 0-based index.
    public var labelColumn: String?
    /// A separate file of per-example difficulties (npy, idx or a one-column CSV), for the curriculum and
    /// stratified samplers.
    public var difficultyPath: String?
    /// `data.scale`: how feature values are scaled when read.
    public var scale: Scale = .auto
    /// `data.validation_path`: a separate file of validation examples (same format and features), and
    /// `validation_labels_path` its labels (npy, idx; a CSV takes them from the same `label_column`).
    public var validationPath: String?
    public var validationLabelsPath: String?
    /// `data.test_path` and `test_labels_path`: held-out examples that training never reads, judged by
    /// `anneal evaluate RUN --split test`.
    public var testPath: String?
    public var testLabelsPath: String?
    /// `data.standardize`: standardise every feature with the training examples' mean and standard deviation
    /// (see `FeatureStandardization`).
    public var standardize = false
    /// `data.image_shape` [height, width]: the examples of a flat file (N × height·width) are images of this
    /// shape, for sample grids and reports; arrays of shape (N, H, W) and IDX images have theirs already.
    public var imageShape: [Int]?
    /// `dsprites`: `data.resolution` (64 or 32), and `data.subset`, a seeded subset of that many images
    /// (`data.subset_seed`, default 0) instead of all 737,280.
    /// `data.factors_path`: an N × K array (npy or idx) of each example's generative factors, whole numbers ≥ 0;
    /// `data.factor_names` their K names (default factor_0, factor_1, …).
    public var factorsPath: String?
    /// `data.layout` for a four-dimensional .npy array: "nchw" (channels first, PyTorch's) or "nhwc" (channels
    /// last, TensorFlow's and image libraries'); nil settles it from the shape when it can.
    public var layout: String?
    public var factorNames: [String]?
    public var resolution: Int?
    public var subset: Int?
    public var subsetSeed: UInt64?

    /// `data.scale`: `"auto"` (the default: whole numbers from 0 to 255 of any type are taken for pixels and
    /// divided by 255 when they pass 127, else by their maximum, and the start line says so), `"none"`, `"max"`
    /// (divide by the largest |value|) or a number to divide by.
    public enum Scale: Hashable, Codable, Sendable {
        case auto
        case none
        case maximum
        case divide(Double)
    }

    public init(kind: Kind, path: String? = nil, labelsPath: String? = nil, labelColumn: String? = nil, difficultyPath: String? = nil) {
        self.kind = kind
        self.path = path
        self.labelsPath = labelsPath
        self.labelColumn = labelColumn
        self.difficultyPath = difficultyPath
    }

    /// Loads the examples. Bad files are `DataError`s naming the file and what is wrong. `options` reach the
    /// readers of the data file (progress, the early check on the first rows); labels files are read with
    /// the defaults.
    ///
    /// With `validationPath`, the validation file's examples follow the training file's and are the validation
    /// split (`Dataset.designatedValidation`); they are divided by what the training file was divided by.
    public func load(options: DataReadOptions = DataReadOptions()) throws(DataError) -> Dataset {
        let definition = kind.definition
        if definition.isBuiltIn {
            return try definition.load(self, path: nil, labelsPath: nil, scale: .none, options: options)
        } else {
            var dataset = try loadFile(path!, labelsPath: labelsPath, scale: scale, options: options)
            if let imageShape { dataset = try dataset.with(imageShape: imageShape, file: path!) }
            if let validationPath {
                let validation = try loadFile(validationPath, labelsPath: validationLabelsPath, scale: dataset.scaleDivisor.map { .divide(Double($0)) } ?? .none)
                if validation.classNames != dataset.classNames {
                    throw DataError(file: validationPath, "has the class folders [\((validation.classNames ?? []).joined(separator: ", "))] but the training data has [\((dataset.classNames ?? []).joined(separator: ", "))]; a label is a position among them, so both must have the same class folders")
                }
                try Self.checkSameUnits(validation, file: validationPath, as: dataset)
                dataset = try dataset.appendingValidation(validation, file: validationPath)
            }
            dataset = try dataset.with(difficulty: try difficulty())
            dataset.factors = try factors(count: dataset.count, name: dataset.name)
            return dataset
        }
    }

    /// The test file (`test_path`) as a source of its own, its values divided by `divisor` (the training
    /// file's, saved in the run), or nil when the config names no test file.
    public func testSource(divisor: Float?) -> DataSource? {
        guard let testPath else { return nil }
        var source = DataSource(kind: kind, path: testPath, labelsPath: testLabelsPath, labelColumn: labelColumn)
        source.scale = divisor.map { .divide(Double($0)) } ?? .none
        return source
    }

    /// One data file and its labels (a labels file, or the file's own: a CSV's label column, a folder's classes).
    func loadFile(_ path: String, labelsPath: String?, scale: Scale, options: DataReadOptions = DataReadOptions()) throws(DataError) -> Dataset {
        try kind.definition.load(self, path: path, labelsPath: labelsPath, scale: scale, options: options)
    }

    /// A binary array file (.npy when `npy`, else IDX) kept mapped in its stored type: batches convert, divide and
    /// reorder their rows (`MappedArrayRows`). Labels from `labelsPath` (npy or IDX, one per example).
    static func loadMapped(_ path: String, npy: Bool, labelsPath: String?, scale: Scale, layout: String?, options: DataReadOptions) throws(DataError) -> Dataset {
        let (file, location, summary) = npy ? try NPYReader.map(path, options: options) : try IDXReader.map(path, options: options)
        let labels = try labelsPath.map { labelsPath throws(DataError) -> [Double] in
            let labelArray = labelsPath.hasSuffix(".npy") ? try NPYReader.read(labelsPath) : try IDXReader.read(labelsPath)
            guard labelArray.columns == 1 else {
                throw DataError(file: labelsPath, "must hold one label per example (shape (N,)), its shape is \(labelArray.shape)")
            }
            return labelArray.values.map(Double.init)
        }
        let rows = location.shape.first ?? 0, columns = location.shape.dropFirst().reduce(1, *)
        return try dataset(shape: location.shape, elementType: location.type, summary: summary, labels: labels, file: path, labelsFile: labelsPath,
                           scale: scale, layout: layout) { divisor, channelsLast in
            MappedArrayRows(file: file, offset: location.offset, elementType: location.type, bigEndian: location.bigEndian,
                            rowCount: rows, width: columns, divisor: divisor, channelsLast: channelsLast)
        }
    }

    /// A validation or test file divided by the training file's divisor must be in the training file's units: a
    /// file of fractions in [0, 1] (pixels divided by 255 already) beside a training file of whole numbers past 1
    /// (0–255 pixels) would be divided again and compared 255 times too small. (Whole numbers 0 and 1, dark
    /// pixels, are the training file's units.)
    static func checkSameUnits(_ other: Dataset, file: String, as training: Dataset) throws(DataError) {
        guard let divisor = training.scaleDivisor, divisor > 1, other.count > 0 else { return }
        let largest = other.maximumMagnitude * divisor, trainingLargest = training.maximumMagnitude * divisor
        let fractional = !other.storage.allSatisfy { value in abs(value * divisor - (value * divisor).rounded()) < 1e-3 }
        if largest <= 1, trainingLargest > 1, fractional {
            throw DataError(file: file, "holds values up to \(largest) while the training file's reach \(trainingLargest), which are divided by \(divisor) (data.scale): this file looks divided already and would be divided again; give it in the training file's units")
        }
    }

    /// The difficulty file's values, checked to be finite and one per example; nil without a file.
    func difficulty() throws(DataError) -> (values: [Double], file: String)? {
        guard let file = difficultyPath else { return nil }
        let array: NumericArray
        if file.hasSuffix(".npy") { array = try NPYReader.read(file) }
        else if file.hasSuffix(".csv") || file.hasSuffix(".txt") { array = try CSVReader.read(file, labelColumn: nil).features }
        else { array = try IDXReader.read(file) }
        guard array.columns == 1 else {
            throw DataError(file: file, "must hold one difficulty per example (shape (N,) or one column), its shape is \(array.shape)")
        }
        let values = array.values.map(Double.init)
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw DataError(file: file, "difficulty \(bad) is \(values[bad]); difficulties must be finite numbers")
        }
        return (values, file)
    }

    /// The factors file (`factors_path`) read and checked: one row per example, whole numbers from 0 to 2²⁴
    /// (exact in the float32 the readers hold), none missing; an error names the file and the first bad row.
    func factors(count: Int, name: String) throws(DataError) -> DataFactors? {
        guard let file = factorsPath else { return nil }
        let array = file.hasSuffix(".npy") ? try NPYReader.read(file) : try IDXReader.read(file)
        guard (1...2).contains(array.shape.count), array.columns >= 1 else {
            throw DataError(file: file, "(data.factors_path) must hold an N × K array of factors (one row per example, one column per factor), its shape is \(array.shape)")
        }
        guard array.rows == count else {
            throw DataError(file: file, "(data.factors_path) has \(array.rows) rows of factors for \(count) examples in \(name)")
        }
        let k = array.columns
        if let bad = array.values.firstIndex(where: { !$0.isFinite || $0 < 0 || $0 != $0.rounded() }) {
            throw DataError(file: file, "(data.factors_path) row \(bad / k), factor \(bad % k) is \(array.values[bad]); factors must be whole numbers ≥ 0 (the index of each factor's value)")
        }
        if let maximum = array.maximum, maximum > 16_777_216 {
            throw DataError(file: file, "(data.factors_path) holds a factor value of \(maximum); factor values are indices, at most 16777216")
        }
        let names = factorNames ?? (0..<k).map { "factor_\($0)" }
        guard names.count == k else {
            throw DataError(file: file, "(data.factors_path) has \(k) factors per example, but data.factor_names names \(names.count)")
        }
        return .table(array.values.map { Int32($0) }, names: names)
    }

    /// Checks and converts an array read into memory: finite values, integer labels that match the examples;
    /// uint8 data above 1 (image pixels 0–255) is scaled to [0, 1]; (N, H, W, C) images are reordered channels first.
    static func dataset(_ array: NumericArray, labels: [Double]?, file: String, labelsFile: String?, scale: Scale = .auto,
                        layout: String? = nil) throws(DataError) -> Dataset {
        try dataset(shape: array.shape, elementType: array.elementType, summary: ArraySummary(array.values, minimum: array.minimum, maximum: array.maximum),
                    labels: labels, file: file, labelsFile: labelsFile, scale: scale, layout: layout) { divisor, channelsLast in
            var features = array.values
            if let divisor { for i in features.indices { features[i] /= divisor } }
            if let (height, width, c) = channelsLast {
                // Stored channels first, as the convolutions read it: value (h, w, c) goes to (c, h, w).
                let perExample = height * width * c
                var reordered = [Float](repeating: 0, count: features.count)
                for n in 0..<array.rows {
                    let base = n * perExample
                    for y in 0..<height {
                        for x in 0..<width {
                            for k in 0..<c { reordered[base + (k * height + y) * width + x] = features[base + (y * width + x) * c + k] }
                        }
                    }
                }
                features = reordered
            }
            return FloatRows(features, width: array.columns)
        }
    }

    /// The checks and decisions shared by arrays in memory and mapped files; `storage` makes the features given
    /// the divisor (nil: none) and, for (N, H, W, C) images, the stored height, width and channels.
    static func dataset(shape: [Int], elementType: NumericElementType, summary: ArraySummary, labels: [Double]?, file: String, labelsFile: String?,
                        scale: Scale, layout: String?, classNames: [String]? = nil,
                        storage: (Float?, (height: Int, width: Int, channels: Int)?) -> any FeatureSource) throws(DataError) -> Dataset {
        let rowCount = shape.first ?? 0, columns = shape.dropFirst().reduce(1, *)
        guard shape.count >= 1, rowCount > 0, columns > 0 else {
            throw DataError(file: file, "holds no examples (shape \(shape))")
        }
        if shape.count == 1 {
            throw DataError(file: file, "is one-dimensional (shape \(shape)); examples must be rows of features, shape (N, D) or (N, …)")
        }
        if let bad = summary.firstNonFinite {
            throw DataError(file: file, "example \(bad.index / columns), feature \(bad.index % columns) is \(bad.value); data must not contain NaN or infinity (nor values beyond single precision, ±3.4e38)")
        }
        var notes: [String] = []
        let name = URL(fileURLWithPath: file).lastPathComponent
        let largest = summary.largestMagnitude
        var divisor: Float?
        switch scale {
        case .auto:
            // Whole numbers from 0 to 255, of any type (uint8, float32 or float64 arrays, CSV), are 8-bit pixels
            // when they pass 127: divided by 255. Small-range ones (scikit-learn's digits are 0–16, float64 by
            // default) divided by 255 would all lie below 0.07, which a Bernoulli decoder fits by ignoring its
            // code: they are divided by their own maximum. Either way they end in [0, 1], where the likelihood
            // chosen from the data is Bernoulli (MNIST as float32 0–255 got a Gaussian and a loss of 10²⁶).
            if largest > 1, elementType == .uint8 || summary.wholeNumbersUpTo255 {
                divisor = largest > Self.pixelThreshold ? 255 : largest
                let kind = elementType == .uint8 ? "uint8 values" : "whole-number values (\(elementType == .text ? "CSV" : elementType.description))"
                notes.append(largest > Self.pixelThreshold
                    ? "\(name): \(kind) from 0 to \(Int(largest)) divided by 255, taken for 8-bit pixels (data.scale: \"none\" keeps them, \"max\" divides by \(Int(largest)))"
                    : "\(name): \(kind) from 0 to \(Int(largest)) divided by \(Int(largest)), their maximum (not 255: a range this small is not 8-bit pixels; data.scale: \"none\" keeps them, or give a number to divide by)")
            }
        case .none:
            break
        case .maximum:
            if largest > 0 { divisor = largest; notes.append("\(name): values divided by their largest |value|, \(largest) (data.scale: \"max\")") }
        case .divide(let value):
            divisor = Float(value)
            notes.append("\(name): values divided by \(value) (data.scale)")
        }
        var labelValues: [Int32]?
        var classCount = 0
        if let labels {
            guard labels.count == rowCount else {
                throw DataError(file: labelsFile, "has \(labels.count) labels for \(rowCount) examples in \(file)")
            }
            if let bad = labels.firstIndex(where: { !$0.isFinite || $0 < 0 || $0 != $0.rounded() }) {
                throw DataError(file: labelsFile, "label \(bad) is \(labels[bad]); labels must be whole numbers ≥ 0 (class indices)")
            }
            if let bad = labels.firstIndex(where: { $0 >= Double(Self.maximumClasses) }) {
                throw DataError(file: labelsFile, "label \(bad) is \(labels[bad] < 9e18 ? String(Int64(labels[bad])) : String(labels[bad])); labels are class indices below \(Self.maximumClasses) (a conditional model reads a one-hot column per class, so label L makes L + 1 classes): renumber the labels 0, 1, 2, …")
            }
            labelValues = labels.map { Int32($0) }
            classCount = Int(labels.max() ?? 0) + 1
            let present = Set(labels.map { Int($0) })
            let empty = (0..<classCount).filter { !present.contains($0) }
            notes.append("labels are class indices: \(classCount) classes (0–\(classCount - 1))" + (empty.isEmpty ? "" : ", of which \(empty.count) have no example (\(Self.ranges(empty)))"))
        }
        var imageShape: (width: Int, height: Int)?
        var channels = 1
        var channelsLastShape: (height: Int, width: Int, channels: Int)?
        if shape.count == 3 { imageShape = (shape[2], shape[1]) }
        if shape.count == 4 {
            let (second, last) = (shape[1], shape[3])
            let channelsLast: Bool
            switch layout {
            case "nhwc": channelsLast = true
            case "nchw": channelsLast = false
            default:
                // Image channels are 1, 3 (RGB) or 4 (RGBA): the side that is one of those is the channels' side.
                let first = [1, 3, 4].contains(second), lastIsChannels = [1, 3, 4].contains(last)
                guard first != lastIsChannels else {
                    throw DataError(file: file, "has shape \(shape): cannot tell channels first (N, C, H, W) from channels last (N, H, W, C); give data.layout \"nchw\" or \"nhwc\"")
                }
                channelsLast = lastIsChannels
                notes.append("\(name): shape \(shape) read as \(channelsLast ? "(N, H, W, C), channels last" : "(N, C, H, W), channels first") (data.layout \"\(channelsLast ? "nchw" : "nhwc")\" reads it the other way)")
            }
            if channelsLast {
                channelsLastShape = (shape[1], shape[2], shape[3])
                (channels, imageShape) = (shape[3], (shape[2], shape[1]))
            } else {
                (channels, imageShape) = (second, (shape[3], shape[2]))
            }
        }
        var dataset = Dataset(name: name, count: rowCount, featureCount: columns, storage: storage(divisor, channelsLastShape), labels: labelValues,
                              classCount: classCount, classNames: classNames, imageShape: imageShape)
        dataset.imageChannels = channels
        dataset.notes = notes
        dataset.scaleDivisor = divisor
        return dataset
    }

    /// Whole-number data whose largest value exceeds this is taken for 8-bit pixels by `data.scale: "auto"`.
    static let pixelThreshold: Float = 127

    /// Whether every value is a whole number from 0 to 255 (what `data.scale: "auto"` divides).
    public static func isWholeNumbersUpTo255(_ values: [Float]) -> Bool {
        values.allSatisfy { $0 >= 0 && $0 <= 255 && $0 == $0.rounded() }
    }

    /// The most classes labels may make (label values below this).
    public static let maximumClasses = 100_000

    /// "0–4, 7" for [0, 1, 2, 3, 4, 7].
    static func ranges(_ values: [Int]) -> String {
        var parts: [String] = []
        var start = 0
        while start < values.count {
            var end = start
            while end + 1 < values.count && values[end + 1] == values[end] + 1 { end += 1 }
            parts.append(end == start ? "\(values[start])" : "\(values[start])–\(values[end])")
            start = end + 1
        }
        return parts.joined(separator: ", ")
    }
}
