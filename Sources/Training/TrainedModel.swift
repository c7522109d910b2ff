import Data
import Foundation
import JSONConfig
import Layers
import Models
import Tensors

/// A trained model ready to evaluate or sample: the run's config, the model with the checkpoint's
/// parameters, and the data it is judged on.
///
/// From a run folder the checkpoint is `checkpoints/best.ckpt` (best validation ELBO) or, failing that,
/// `last.ckpt`, and the config is the folder's `config.json`; from a checkpoint file the config is the one
/// saved inside it. The data is the run's own (its validation split is the evaluation set), unless another
/// data set is given; a data set that does not fit the model is an error saying how.
public struct TrainedModel {
    public let configuration: RunConfiguration
    public let checkpointPath: String
    public let checkpoint: Checkpoint
    public let dataset: Dataset
    public let model: any LatentVariableModel<Float>
    /// The examples to judge the model on: the run's validation split, or every example of other data.
    public let evaluationIndices: [Int]
    /// Whether `dataset` is the run's own data.
    public let isRunData: Bool
    /// Which examples `evaluationIndices` are, for people: "validation split", "test file digits_test.npy", ….
    public let evaluationSet: String
    /// What loading did that the user should know (a data file found beside a moved run folder).
    public var notes: [String] = []

    /// Which of the run's examples to judge the model on.
    public enum Split: String, CaseIterable, Sendable {
        /// The validation split (the training split when the run held nothing out).
        case validation
        /// The training split.
        case training
        /// The config's `data.test_path`, which training never read.
        case test
    }

    /// Which checkpoint of a run folder to load.
    public enum Choice: String, CaseIterable, Sendable {
        case best
        case last
    }

    /// Loads `path` (a run folder or a `.ckpt` file); `data` replaces the run's data (same features), or `split`
    /// chooses among the run's own examples. Other data and the test file are standardised with the run's saved
    /// statistics when it standardised its data, and the test file is divided by what the training file was.
    ///
    /// With `needsExamples` false (export, sampling from the prior) the data file is not read when the checkpoint
    /// describes the data (`TrainingState.dataDescription`): `dataset` then has the data's shape, kind, classes
    /// and saved statistics but no example, so a run folder copied without its data still works. Data files that
    /// moved with the run folder are found by name in it or beside it (`RunConfiguration.locatingData`), and
    /// data whose fingerprint differs from the checkpoint's is refused.
    public static func load(_ path: String, choice: Choice = .best, data: DataSource? = nil, split: Split = .validation,
                            needsExamples: Bool = true) throws(TrainingError) -> TrainedModel {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TrainingError("\(path): no such run folder or checkpoint")
        }
        let checkpointPath: String
        if isDirectory.boolValue {
            let best = path + "/checkpoints/best.ckpt", last = path + "/checkpoints/last.ckpt"
            if choice == .best && FileManager.default.fileExists(atPath: best) {
                checkpointPath = best
            } else if FileManager.default.fileExists(atPath: last) {
                checkpointPath = last
            } else {
                throw TrainingError("\(path) holds no checkpoint (checkpoints/best.ckpt or last.ckpt): has the run finished an epoch?")
            }
        } else {
            checkpointPath = path
        }
        let checkpoint: Checkpoint
        do { checkpoint = try Checkpoint.read(checkpointPath) } catch { throw TrainingError(error.description) }
        var configuration: RunConfiguration
        do {
            configuration = try RunConfiguration.parse(try JSONParser.parse(checkpoint.configuration), file: checkpointPath + " (its config)")
        } catch {
            throw TrainingError(error.description)
        }
        let standardization = FeatureStandardization(tensors: checkpoint.tensors)
        if configuration.data.standardize && standardization == nil {
            throw TrainingError("\(checkpointPath): the run standardised its data (data.standardize) but the checkpoint holds no statistics (\(FeatureStandardization.meanTensorName)); it was written by an older anneal")
        }
        let runStandardizes = configuration.data.standardize
        var evaluationSet = split == .training ? "training split" : "validation split"
        if split == .test {
            guard data == nil else { throw TrainingError("--split test judges the run's test file; it cannot be combined with --data") }
            guard let test = configuration.data.testSource(divisor: checkpoint.tensors[Trainer.scaleDivisorTensorName]?.first) else {
                throw TrainingError("the run's config names no test file (data.test_path), so there is no test split to judge; give --data FILE to judge other data")
            }
            configuration.data = test
            evaluationSet = "test file \(URL(fileURLWithPath: test.path!).lastPathComponent)"
        } else if let data {
            configuration.data = data
            evaluationSet = "every example"
        }
        let isRunData = data == nil && split != .test
        configuration.data.standardize = runStandardizes
        let dataset: Dataset
        var notes: [String] = []
        if !needsExamples, isRunData, let description = checkpoint.state.dataDescription {
            dataset = Dataset(describedBy: description, standardization: standardization,
                              scaleDivisor: checkpoint.tensors[Trainer.scaleDivisorTensorName]?.first)
        } else {
            if data == nil {
                let located = try configuration.locatingData(near: runDirectory(of: checkpointPath))
                configuration = located.configuration
                notes = located.notes
            }
            dataset = try TrainingRun.load(configuration, standardization: standardization)
            if isRunData, let saved = checkpoint.state.dataFingerprint, saved != dataset.fingerprint {
                throw TrainingError("the data read from \(configuration.data.path ?? dataset.name) is not the data the run was trained on (fingerprint \(dataset.fingerprint), the run's \(saved)); point at the original with --data FILE")
            }
        }
        // Classes named by folders must be the run's, in its order: a label is a position among them.
        if !isRunData, let names = dataset.classNames, let runNames = checkpoint.state.dataDescription?.classNames, names != runNames {
            throw TrainingError("the classes of \(configuration.data.path ?? dataset.name) (\(names.joined(separator: ", "))) are not the run's (\(runNames.joined(separator: ", "))): labels would mean other classes; give data with the run's class folders")
        }
        // The model as the run built it (same shape), with the checkpoint's parameters.
        let specification = configuration.model.specification
        if specification.needsLabels && dataset.labels == nil && dataset.count > 0 {
            throw TrainingError("the model (\(specification.typeName)) conditions on class labels, but \(dataset.name) has none")
        }
        var generator = RandomGenerator(seed: configuration.training.seed)
        // The layout the run trained on (its checkpoint describes its data): other data of as many features, a
        // flat CSV say, is read as the run's images.
        var layout = dataset.layout
        if let description = checkpoint.state.dataDescription, let width = description.imageWidth, let height = description.imageHeight,
           width * height * (description.imageChannels ?? 1) == dataset.featureCount {
            layout = .image(channels: description.imageChannels ?? 1, height: height, width: width)
        }
        let model: any LatentVariableModel<Float>
        do {
            let shape = try configuration.model.shape(layout: layout, classCount: dataset.classCount, categoryGroupSize: dataset.categoryGroupSize)
            model = try specification.build(shape, generator: &generator)
        } catch let error as ModelArchitecture.Problem {
            throw TrainingError("\(checkpointPath): \(error.description)")
        } catch let error as LayerShapeError {
            throw TrainingError("\(checkpointPath): \(error.description)")
        } catch {
            throw TrainingError("\(error)")
        }
        for parameter in model.parameters {
            guard let values = checkpoint.tensors[parameter.name] else {
                throw TrainingError("\(checkpointPath): has no parameter \(parameter.name); it was saved from a different model")
            }
            guard values.count == parameter.tensor.count else {
                throw TrainingError("\(checkpointPath) does not match the data \(dataset.name): parameter \(parameter.name) has \(values.count) values in the checkpoint, \(parameter.tensor.count) for this data (\(dataset.featureCount) features, \(dataset.classCount) classes)")
            }
            parameter.tensor.assign(Tensor(rows: parameter.tensor.rows, columns: parameter.tensor.columns, scalars: values))
        }
        let indices: [Int]
        if dataset.count == 0 {
            indices = []
        } else if isRunData {
            do {
                let sides = try configuration.split(dataset)
                if split == .validation && sides.validation.isEmpty { evaluationSet = "training split (the run held out no validation examples)" }
                if split == .validation, dataset.designatedValidation != nil, let file = configuration.data.validationPath {
                    evaluationSet = "validation file \(URL(fileURLWithPath: file).lastPathComponent)"
                }
                indices = split == .training || sides.validation.isEmpty ? sides.training : sides.validation
            } catch {
                throw TrainingError(error.description)
            }
        } else {
            indices = Array(0..<dataset.count)
        }
        var trained = TrainedModel(configuration: configuration, checkpointPath: checkpointPath, checkpoint: checkpoint, dataset: dataset,
                                   model: model, evaluationIndices: indices, isRunData: isRunData, evaluationSet: evaluationSet)
        // best.ckpt is the best validation ELBO's epoch, which under a rising β is not the model the run ended with.
        if isDirectory.boolValue, checkpointPath.hasSuffix("/best.ckpt"),
           let text = try? String(contentsOfFile: path + "/metrics.jsonl", encoding: .utf8) {
            let epochs = text.split(separator: "\n").count
            if epochs > checkpoint.state.epoch {
                notes.append("using best.ckpt, the model after epoch \(checkpoint.state.epoch - 1) (the best validation ELBO), not after the run's last epoch \(epochs - 1); --checkpoint last takes the model the run ended with")
            }
        }
        trained.notes = notes
        return trained
    }

    /// The run folder a checkpoint belongs to: the folder holding its `checkpoints/` folder, else its own folder.
    static func runDirectory(of checkpointPath: String) -> String {
        let folder = URL(fileURLWithPath: checkpointPath).deletingLastPathComponent()
        return folder.lastPathComponent == "checkpoints" ? folder.deletingLastPathComponent().path : folder.path
    }

    /// A forward context at `temperature` with the model's own quantities as the last trained epoch used
    /// them (its schedules at that epoch's start, or its controllers' saved states).
    public func context(temperature: Double) -> ForwardContext {
        let names = configuration.model.specification.quantities.map(\.name)
        guard !names.isEmpty else { return ForwardContext(temperature: temperature) }
        let plan = configuration.quantities
        let controllers = plan.quantities.map { quantity in
            checkpoint.state.controllers.first { $0.quantity == quantity.name }?.state ?? quantity.controller?.initialState()
        }
        let values = plan.values(at: .epoch(max(0, checkpoint.state.epoch - 1)), controllers: controllers)
        let defaults = configuration.model.specification.quantities.map(\.defaultValue)
        return ForwardContext(temperature: temperature, modelQuantities: names.indices.map { plan.index(of: names[$0]).map { values[$0] } ?? defaults[$0] })
    }
}
