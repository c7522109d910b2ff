import Data
import Foundation

extension RunConfiguration {
    /// The config with every data file it names found again when the run folder has moved: a path that no
    /// longer exists is looked for by its file name in the run folder, beside it, and beside its parent
    /// (`runs/<run>` next to the data), and the first file found there is used, with a note saying so. The data's
    /// fingerprint (checked on resume and by evaluate) then tells whether it is the same data.
    ///
    /// A file found nowhere is an error naming the file, its key and where it was looked for, unless
    /// `required` is false (the file is then left as it is, for a command that reads no example).
    public func locatingData(near runDirectory: String, required: Bool = true) throws(TrainingError) -> (configuration: RunConfiguration, notes: [String]) {
        var result = self
        var notes: [String] = []
        let folder = URL(fileURLWithPath: runDirectory).standardizedFileURL
        let places = [folder, folder.deletingLastPathComponent(), folder.deletingLastPathComponent().deletingLastPathComponent()]
        func locate(_ path: String?, _ key: String) throws(TrainingError) -> String? {
            guard let path, !FileManager.default.fileExists(atPath: path) else { return path }
            let name = URL(fileURLWithPath: path).lastPathComponent
            for place in places {
                let candidate = place.appendingPathComponent(name).path
                if FileManager.default.fileExists(atPath: candidate) {
                    notes.append("\(key) \(path) is not there; using \(candidate), found \(place == folder ? "in" : "beside") the run folder")
                    return candidate
                }
            }
            guard required else { return path }
            throw TrainingError("the run's data file \(path) (\(key)) is missing, and no \(name) sits in \(folder.path) or the two folders above it; copy it there, or point at another copy with --data FILE")
        }
        result.data.path = try locate(data.path, "data.path")
        result.data.labelsPath = try locate(data.labelsPath, "data.labels_path")
        result.data.difficultyPath = try locate(data.difficultyPath, "data.difficulty_path")
        result.data.factorsPath = try locate(data.factorsPath, "data.factors_path")
        result.data.validationPath = try locate(data.validationPath, "data.validation_path")
        result.data.validationLabelsPath = try locate(data.validationLabelsPath, "data.validation_labels_path")
        // The test file is read by evaluate --split test only; it is looked for but never required here.
        let testPath = result.data.testPath, testLabelsPath = result.data.testLabelsPath
        result.data.testPath = (try? locate(testPath, "data.test_path")) ?? testPath
        result.data.testLabelsPath = (try? locate(testLabelsPath, "data.test_labels_path")) ?? testLabelsPath
        return (result, notes)
    }

    /// The config with what the data decided written in: `data.scale` as the divisor the training file was
    /// divided by (or `"none"`), `data.split_seed` as the seed the split used, and `data.standardize` said
    /// either way, so a run's config.json (and an export's metadata) states how the examples were prepared.
    /// A scale given as a number or "none" is kept; "auto" and "max" become what they chose.
    public func resolvingData(_ dataset: Dataset) -> RunConfiguration {
        var result = self
        if data.validationPath == nil, splitSeed == nil { result.splitSeed = training.seed }
        // The built-in sets take no scale or standardisation.
        guard !data.kind.definition.isBuiltIn else { return result }
        switch data.scale {
        case .auto, .maximum: result.data.scale = dataset.scaleDivisor.map { .divide(Double($0)) } ?? .none
        case .none, .divide: break
        }
        result.standardizeStated = true
        return result
    }
}
