/// What a trained model must know of its data when no example is at hand: the example's shape and kind, the
/// classes. A checkpoint keeps it (`TrainingState.dataDescription`), so a run folder copied to another machine
/// can be exported and sampled without its data file; commands that read examples still need the file.
public struct DataDescription: Codable, Hashable, Sendable {
    /// The data's name (its file name, or the built-in set's).
    public var name: String
    /// Features per example, as the model reads them.
    public var featureCount: Int
    /// Classes the labels make (label L makes L + 1), 0 without labels.
    public var classCount: Int
    /// The label values that have examples, ascending.
    public var classesPresent: [Int]
    public var classNames: [String]?
    /// For categorical data (each example is `categoryGroups` class indices of `categoryGroupSize` classes).
    public var categoryGroups: Int?
    public var categoryGroupSize: Int?
    /// Image width and height, when the features are an image.
    public var imageWidth: Int?
    public var imageHeight: Int?
    /// Image channels when more than one (3 for RGB); nil is one.
    public var imageChannels: Int?
    /// Features that hold one value in every example, with that value in the data's units (standardisation
    /// undone, `data.scale` kept): samples give them exactly that value.
    public var constantFeatures: [ConstantFeature] = []

    /// A feature with one value in every example.
    public struct ConstantFeature: Codable, Hashable, Sendable {
        public var index: Int
        public var value: Float
    }

    enum CodingKeys: String, CodingKey {
        case name, featureCount = "feature_count", classCount = "class_count", classesPresent = "classes_present", classNames = "class_names"
        case categoryGroups = "category_groups", categoryGroupSize = "category_group_size", imageWidth = "image_width", imageHeight = "image_height"
        case imageChannels = "image_channels", constantFeatures = "constant_features"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        featureCount = try container.decode(Int.self, forKey: .featureCount)
        classCount = try container.decode(Int.self, forKey: .classCount)
        classesPresent = try container.decode([Int].self, forKey: .classesPresent)
        classNames = try container.decodeIfPresent([String].self, forKey: .classNames)
        categoryGroups = try container.decodeIfPresent(Int.self, forKey: .categoryGroups)
        categoryGroupSize = try container.decodeIfPresent(Int.self, forKey: .categoryGroupSize)
        imageWidth = try container.decodeIfPresent(Int.self, forKey: .imageWidth)
        imageHeight = try container.decodeIfPresent(Int.self, forKey: .imageHeight)
        imageChannels = try container.decodeIfPresent(Int.self, forKey: .imageChannels)
        constantFeatures = try container.decodeIfPresent([ConstantFeature].self, forKey: .constantFeatures) ?? []
    }

    public init(_ dataset: Dataset) {
        name = dataset.name
        featureCount = dataset.featureCount
        classCount = dataset.classCount
        classesPresent = dataset.classesPresent
        classNames = dataset.classNames
        if case .categorical(let groups, let groupSize) = dataset.kind {
            categoryGroups = groups
            categoryGroupSize = groupSize
        }
        imageWidth = dataset.imageShape?.width
        imageHeight = dataset.imageShape?.height
        imageChannels = dataset.imageChannels > 1 ? dataset.imageChannels : nil
        if dataset.count > 0, dataset.kind == .continuous {
            let width = dataset.featureCount
            // Feature j is constant when every row equals the first; the scan stops once every feature has varied.
            var first = [Float](repeating: 0, count: width)
            dataset.storage.copyRows([0], width: width, into: &first)
            var constant = [Bool](repeating: true, count: width), varying = 0
            dataset.storage.forEachBlock(of: Array(1..<dataset.count), width: width) { rows, count in
                for offset in 0..<count {
                    let row = offset * width
                    for j in 0..<width where constant[j] && rows[row + j] != first[j] {
                        constant[j] = false
                        varying += 1
                    }
                }
                return varying < width
            }
            for j in 0..<width where constant[j] {
                let first = first[j]
                // Standardised, a constant feature was only centred (σ = 1): its value is the mean.
                let value = dataset.standardization.map { $0.mean[j] + first * $0.standardDeviation[j] } ?? first
                constantFeatures.append(ConstantFeature(index: j, value: value))
            }
        }
    }
}

extension Dataset {
    /// The label values that have examples, ascending (empty without labels).
    public var classesPresent: [Int] {
        if let describedClasses { return describedClasses }
        guard let labels else { return [] }
        var seen = [Bool](repeating: false, count: classCount)
        for label in labels where Int(label) < classCount { seen[Int(label)] = true }
        return seen.indices.filter { seen[$0] }
    }

    /// A data set with no examples that has the shape, kind and classes `description` gives: enough to build,
    /// export and sample a trained model when its data file is not at hand.
    public init(describedBy description: DataDescription, standardization: FeatureStandardization? = nil, scaleDivisor: Float? = nil) {
        let kind: Kind
        if let groups = description.categoryGroups, let groupSize = description.categoryGroupSize {
            kind = .categorical(groups: groups, groupSize: groupSize)
        } else {
            kind = .continuous
        }
        let image = description.imageWidth.flatMap { width in description.imageHeight.map { (width: width, height: $0) } }
        self.init(name: description.name, kind: kind, count: 0, featureCount: description.featureCount, features: [],
                  classCount: description.classCount, classNames: description.classNames, imageShape: image)
        describedClasses = description.classesPresent
        imageChannels = description.imageChannels ?? 1
        self.standardization = standardization
        self.scaleDivisor = scaleDivisor
    }
}
