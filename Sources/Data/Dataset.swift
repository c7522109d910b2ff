/// Examples: a source of feature rows (see `FeatureSource`), and optionally class labels, categorical targets and a
/// per-example difficulty.
public struct Dataset: Sendable {
    /// What the decoder reconstructs and how it is scored.
    public enum Kind: Sendable, Equatable {
        /// Real or binary features, reconstructed directly (Bernoulli, Gaussian, MSE likelihoods).
        case continuous
        /// Each example is `groups` class indices of `groupSize` classes (features are their one-hot encoding).
        case categorical(groups: Int, groupSize: Int)
    }

    public let name: String
    public let kind: Kind
    public let count: Int
    public let featureCount: Int
    /// The features: count rows of featureCount values, filled into batches by row index (in memory, a mapped file
    /// in its stored type, or drawn on demand).
    public let storage: any FeatureSource
    /// count × groups class indices, for categorical data.
    public let categories: [Int32]?
    /// One class label per example (for conditioning), in `0..<classCount`.
    public let labels: [Int32]?
    public let classCount: Int
    /// Names of the classes, when known.
    public let classNames: [String]?
    /// A per-example difficulty for curriculum samplers (the ternary operations' 3-adic valuation).
    public let difficulty: [Double]?
    /// Image width and height, when the features are an image.
    public let imageShape: (width: Int, height: Int)?
    /// For a subset of a data set (`subset(labels:)`): the size of the whole and the rows of it these examples
    /// are, so that the subset's train/validation split is the whole's split restricted to it.
    public internal(set) var source: (count: Int, rows: [Int])?
    /// What loading did that the config did not say (scaling, how labels became classes), one line each.
    public var notes: [String] = []
    /// The rows of the whole data set (see `source`) that a separate validation file supplied
    /// (`data.validation_path`): they are the validation split, whatever `validation_fraction` says.
    public internal(set) var designatedValidation: Range<Int>?
    /// What the training file's values were divided by when read (`data.scale`), or nil; a validation or test
    /// file is divided by the same.
    public internal(set) var scaleDivisor: Float?
    /// The per-feature standardisation applied to every example (`data.standardize`), or nil.
    public internal(set) var standardization: FeatureStandardization?
    /// Channels of each image (3 for RGB), stored channels first: an example is C × height × width values.
    public internal(set) var imageChannels = 1
    /// The examples' generative factors, when known (dsprites; `data.factors_path`).
    public internal(set) var factors: DataFactors?
    /// For a data set made from a `DataDescription` (no examples): the classes the run's data had.
    var describedClasses: [Int]?

    public init(name: String, kind: Kind = .continuous, count: Int, featureCount: Int, features: [Float], categories: [Int32]? = nil,
                labels: [Int32]? = nil, classCount: Int = 0, classNames: [String]? = nil, difficulty: [Double]? = nil,
                imageShape: (width: Int, height: Int)? = nil) {
        self.init(name: name, kind: kind, count: count, featureCount: featureCount, storage: FloatRows(features, width: featureCount), categories: categories,
                  labels: labels, classCount: classCount, classNames: classNames, difficulty: difficulty, imageShape: imageShape)
    }

    public init(name: String, kind: Kind = .continuous, count: Int, featureCount: Int, storage: any FeatureSource, categories: [Int32]? = nil,
                labels: [Int32]? = nil, classCount: Int = 0, classNames: [String]? = nil, difficulty: [Double]? = nil,
                imageShape: (width: Int, height: Int)? = nil) {
        precondition(storage.rowCount == count && storage.width == featureCount, "features must be count × featureCount")
        self.name = name
        self.kind = kind
        self.count = count
        self.featureCount = featureCount
        self.storage = storage
        self.categories = categories
        self.labels = labels
        self.classCount = classCount
        self.classNames = classNames
        self.difficulty = difficulty
        self.imageShape = imageShape
    }

    /// The same examples with `difficulty` (values and the file they came from) attached; unchanged when nil.
    /// The count must match: a mismatch is an error naming the file.
    public func with(difficulty: (values: [Double], file: String)?) throws(DataError) -> Dataset {
        guard let difficulty else { return self }
        guard difficulty.values.count == count else {
            throw DataError(file: difficulty.file, "has \(difficulty.values.count) difficulties for \(count) examples in \(name)")
        }
        var result = Dataset(name: name, kind: kind, count: count, featureCount: featureCount, storage: storage, categories: categories, labels: labels,
                             classCount: classCount, classNames: classNames, difficulty: difficulty.values, imageShape: imageShape)
        result.keepDescription(of: self)
        return result
    }

    /// The same examples shown as images of `shape` [height, width] (`data.image_shape`); the product must be the
    /// feature count, and an array that has an image shape already must have this one.
    public func with(imageShape shape: [Int], file: String) throws(DataError) -> Dataset {
        guard shape.count == 2, shape[0] >= 1, shape[1] >= 1, shape[0].multipliedReportingOverflow(by: shape[1]).partialValue == featureCount,
              !shape[0].multipliedReportingOverflow(by: shape[1]).overflow else {
            throw DataError(file: file, "has \(featureCount) features per example, but data.image_shape \(shape) holds \(shape.count == 2 ? String(shape[0].multipliedReportingOverflow(by: shape[1]).partialValue) : "no") pixels; give [height, width] with height × width = \(featureCount)")
        }
        if let imageShape, imageShape.height != shape[0] || imageShape.width != shape[1] {
            throw DataError(file: file, "holds images of \(imageShape.height) × \(imageShape.width), but data.image_shape says \(shape[0]) × \(shape[1])")
        }
        var result = Dataset(name: name, kind: kind, count: count, featureCount: featureCount, storage: storage, categories: categories, labels: labels,
                             classCount: classCount, classNames: classNames, difficulty: difficulty, imageShape: (width: shape[1], height: shape[0]))
        result.keepDescription(of: self)
        return result
    }

    /// The same examples with other feature values of the same shape (standardised ones).
    func replacingFeatures(_ storage: any FeatureSource) -> Dataset {
        var result = Dataset(name: name, kind: kind, count: count, featureCount: featureCount, storage: storage, categories: categories, labels: labels,
                             classCount: classCount, classNames: classNames, difficulty: difficulty, imageShape: imageShape)
        result.keepDescription(of: self)
        return result
    }

    /// Takes what `other` says about where its examples came from and what was done to them.
    /// (Also the factors, which a caller whose rows differ replaces.)
    mutating func keepDescription(of other: Dataset) {
        source = other.source
        factors = other.factors
        imageChannels = other.imageChannels
        notes = other.notes
        designatedValidation = other.designatedValidation
        scaleDivisor = other.scaleDivisor
        standardization = other.standardization
        describedClasses = other.describedClasses
    }

    /// Every feature as floats, row-major (a copy: for small data and tests; training copies batches).
    public var features: [Float] { storage.values }

    /// Classes per group of categorical data.
    public var categoryGroupSize: Int? {
        if case .categorical(_, let groupSize) = kind { return groupSize }
        return nil
    }

    /// The largest |feature| (0 for no data): how large the data's scale is.
    public var maximumMagnitude: Float { storage.maximumMagnitude }

    /// Whether every feature is 0 or 1 (a Bernoulli likelihood fits).
    public var isBinary: Bool { storage.allSatisfy { $0 == 0 || $0 == 1 } }

    /// Whether every feature is in [0, 1].
    public var isInUnitInterval: Bool { storage.allSatisfy { $0 >= 0 && $0 <= 1 } }
}
