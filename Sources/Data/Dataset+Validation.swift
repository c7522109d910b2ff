/// A training file and a separate validation file (`data.validation_path`) as one data set whose last rows are
/// the designated validation split.
extension Dataset {
    /// These examples followed by `validation`'s, which become the validation split (`designatedValidation`).
    /// Both must have the same features, and labels either both or neither; the class count is the larger.
    public func appendingValidation(_ validation: Dataset, file: String) throws(DataError) -> Dataset {
        guard validation.featureCount == featureCount else {
            throw DataError(file: file, "has \(validation.featureCount) features per example, but the training data \(name) has \(featureCount); a validation file must have the same features")
        }
        guard validation.kind == kind else {
            throw DataError(file: file, "is not the same kind of data as the training data \(name)")
        }
        if (labels == nil) != (validation.labels == nil) {
            throw DataError(file: file, labels == nil ? "has labels but the training data \(name) has none" : "has no labels but the training data \(name) has them (give data.validation_labels_path, or the same label_column)")
        }
        if imageChannels != validation.imageChannels {
            throw DataError(file: file, "holds images of \(validation.imageChannels) channels, the training data \(name) of \(imageChannels)")
        }
        if let shape = imageShape, let other = validation.imageShape, shape != other {
            throw DataError(file: file, "holds \(other.width)×\(other.height) images, the training data \(name) holds \(shape.width)×\(shape.height)")
        }
        guard difficulty == nil else {
            throw DataError(file: file, "a separate validation file cannot be combined with data.difficulty_path yet: the difficulties would cover the training file only; hold out validation_fraction of one file instead")
        }
        let storage = ConcatenatedRows(self.storage, validation.storage)
        var combinedCategories: [Int32]?
        if let categories, let other = validation.categories { combinedCategories = categories + other }
        var combined = Dataset(name: name, kind: kind, count: count + validation.count, featureCount: featureCount, storage: storage,
                               categories: combinedCategories, labels: labels.map { $0 + validation.labels! },
                               classCount: Swift.max(classCount, validation.classCount), classNames: classNames, imageShape: imageShape)
        combined.keepDescription(of: self)
        combined.factors = nil  // data.factors_path cannot be combined with validation_path (the config says so)
        combined.designatedValidation = count..<(count + validation.count)
        return combined
    }
}
