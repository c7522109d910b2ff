import Foundation

/// Where a run's examples come from (config `data`): a built-in set or a file.
public struct DataSource: Hashable, Codable, Sendable {
    public enum Kind: String, CaseIterable, Codable, Sendable {
        case ternaryOperations = "ternary_operations"
        case shapes
        case npy
        case csv
        case idx
        case dsprites
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
        switch kind {
        case .ternaryOperations: return TernaryOperations.dataset()
        case .shapes: return ProceduralShapes.dataset()
        case .dsprites: return SpriteImages(resolution: resolution ?? 64)!.dataset(subset: subset, seed: subsetSeed ?? 0)
        case .npy, .idx, .csv:
            var dataset = try loadFile(path!, labelsPath: labelsPath, scale: scale, options: options)
            if let imageShape { dataset = try dataset.with(imageShape: imageShape, file: path!) }
            if let validationPath {
                let validation = try loadFile(validationPath, labelsPath: validationLabelsPath, scale: dataset.scaleDivisor.map { .divide(Double($0)) } ?? .none)
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

    /// One data file and its labels (a labels file, or a CSV's label column).
    func loadFile(_ path: String, labelsPath: String?, scale: Scale, options: DataReadOptions = DataReadOptions()) throws(DataError) -> Dataset {
        if kind == .csv {
            let table = try CSVReader.read(path, labelColumn: labelColumn, options: options)
            return try Self.dataset(table.features, labels: table.labels, file: path, labelsFile: path, scale: scale)
        }
        let array = kind == .npy ? try NPYReader.read(path, options: options) : try IDXReader.read(path, options: options)
        let labels = try labelsPath.map { labelsPath throws(DataError) -> [Double] in
            let labelArray = labelsPath.hasSuffix(".npy") ? try NPYReader.read(labelsPath) : try IDXReader.read(labelsPath)
            guard labelArray.columns == 1 else {
                throw DataError(file: labelsPath, "must hold one label per example (shape (N,)), its shape is \(labelArray.shape)")
            }
            return labelArray.values.map(Double.init)
        }
        return try Self.dataset(array, labels: labels, file: path, labelsFile: labelsPath, scale: scale, layout: layout)
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

    /// Checks and converts a loaded array: finite values, integer labels that match the examples; uint8 data
    /// above 1 (image pixels 0–255) is scaled to [0, 1].
    static func dataset(_ array: NumericArray, labels: [Double]?, file: String, labelsFile: String?, scale: Scale = .auto,
                        layout: String? = nil) throws(DataError) -> Dataset {
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
        var notes: [String] = []
        let name = URL(fileURLWithPath: file).lastPathComponent
        let largest = features.reduce(Float(0)) { max($0, abs($1)) }
        var divisor: Float?
        switch scale {
        case .auto:
            // Whole numbers from 0 to 255, of any type (uint8, float32 or float64 arrays, CSV), are 8-bit pixels
            // when they pass 127: divided by 255. Small-range ones (scikit-learn's digits are 0–16, float64 by
            // default) divided by 255 would all lie below 0.07, which a Bernoulli decoder fits by ignoring its
            // code: they are divided by their own maximum. Either way they end in [0, 1], where the likelihood
            // chosen from the data is Bernoulli (MNIST as float32 0–255 got a Gaussian and a loss of 10²⁶).
            if largest > 1, array.elementType == .uint8 || Self.isWholeNumbersUpTo255(features) {
                divisor = largest > Self.pixelThreshold ? 255 : largest
                let kind = array.elementType == .uint8 ? "uint8 values" : "whole-number values (\(array.elementType == .text ? "CSV" : array.elementType.description))"
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
        if let divisor { for i in features.indices { features[i] /= divisor } }
        var labelValues: [Int32]?
        var classCount = 0
        if let labels {
            guard labels.count == array.rows else {
                throw DataError(file: labelsFile, "has \(labels.count) labels for \(array.rows) examples in \(file)")
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
        if array.shape.count == 3 { imageShape = (array.shape[2], array.shape[1]) }
        if array.shape.count == 4 {
            let (second, last) = (array.shape[1], array.shape[3])
            let channelsLast: Bool
            switch layout {
            case "nhwc": channelsLast = true
            case "nchw": channelsLast = false
            default:
                // Image channels are 1, 3 (RGB) or 4 (RGBA): the side that is one of those is the channels' side.
                let first = [1, 3, 4].contains(second), lastIsChannels = [1, 3, 4].contains(last)
                guard first != lastIsChannels else {
                    throw DataError(file: file, "has shape \(array.shape): cannot tell channels first (N, C, H, W) from channels last (N, H, W, C); give data.layout \"nchw\" or \"nhwc\"")
                }
                channelsLast = lastIsChannels
                notes.append("\(name): shape \(array.shape) read as \(channelsLast ? "(N, H, W, C), channels last" : "(N, C, H, W), channels first") (data.layout \"\(channelsLast ? "nchw" : "nhwc")\" reads it the other way)")
            }
            if channelsLast {
                // Stored channels first, as the convolutions read it: value (h, w, c) goes to (c, h, w).
                let (height, width, c) = (array.shape[1], array.shape[2], array.shape[3])
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
                (channels, imageShape) = (c, (width, height))
            } else {
                (channels, imageShape) = (second, (array.shape[3], array.shape[2]))
            }
        }
        var dataset = Dataset(name: name, count: array.rows, featureCount: array.columns, features: features, labels: labelValues,
                              classCount: classCount, imageShape: imageShape)
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
