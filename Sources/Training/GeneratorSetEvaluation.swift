import Data
import JSONConfig
import Tensors

/// The evaluation of a per-class or per-group run: each generator judged on its own classes, and the
/// generators together (each generating for its share of the held-out examples) against all of them, the
/// same footing as a unified run's "all" line, so the granularities can be compared.
///
/// Each member's validation split is the whole data set's split restricted to its classes
/// (`RunConfiguration.split`), so the generators together are judged on exactly the examples a unified run
/// with the same seed holds out.
public struct GeneratorSetEvaluation {
    public var directory: String
    public var granularity: String
    public var members: [(member: GeneratorSet.Member, evaluation: ModelEvaluation)]
    /// All generators' samples against all their real examples.
    public var combined: ModelEvaluation.GeneratorReport

    /// Evaluates every generator of the set in `directory` (`data` replaces the run's data, filtered to each
    /// generator's classes).
    public static func evaluate(_ directory: String, choice: TrainedModel.Choice = .best, data: DataSource? = nil, split: TrainedModel.Split = .validation,
                                options: ModelEvaluation.Options = ModelEvaluation.Options()) throws(TrainingError) -> GeneratorSetEvaluation {
        let configuration: RunConfiguration
        do { configuration = try RunConfiguration.load(file: directory + "/config.json") } catch { throw TrainingError(error.description) }
        let members = try GeneratorSet.members(ofSet: directory)
        var evaluations: [(member: GeneratorSet.Member, evaluation: ModelEvaluation)] = []
        for (index, member) in members.enumerated() {
            let trained: TrainedModel
            do {
                trained = try TrainedModel.load(member.directory, choice: choice, data: data, split: split)
            } catch {
                throw TrainingError("generator \(member.name): \(error.description)")
            }
            var memberOptions = options
            memberOptions.seed = options.seed &+ UInt64(index) &* 0x9E37_79B9
            evaluations.append((member, try ModelEvaluation.evaluate(trained, options: memberOptions)))
        }
        let real = Self.stack(evaluations.map(\.evaluation.realExamples))
        let generated = Self.stack(evaluations.map(\.evaluation.generatedExamples))
        let combined = ModelEvaluation.compare(real: real, generated: generated, subset: "all", neighbours: options.neighbours)
        return GeneratorSetEvaluation(directory: directory, granularity: configuration.granularity.name, members: evaluations, combined: combined)
    }

    static func stack(_ tensors: [Tensor<Float>]) -> Tensor<Float> {
        var values: [Float] = []
        for tensor in tensors { tensor.withUnsafeBufferPointer { values += $0 } }
        return Tensor(rows: tensors.reduce(0) { $0 + $1.rows }, columns: tensors.first?.columns ?? 0, scalars: values)
    }

    public var json: JSONValue {
        .object([
            ("run", .string(directory)), ("granularity", .string(granularity)),
            ("generators", .array(members.map { member, evaluation in
                .object([("name", .string(member.name)), ("classes", .array(member.classes.map { .number($0) })), ("evaluation", evaluation.json)])
            })),
            ("all_generators", ModelEvaluation.json(combined)),
        ])
    }

    public var text: String {
        var text = "\(directory): \(members.count) generators (model.granularity \(granularity))\n"
        for (member, evaluation) in members {
            text += "\ngenerator \(member.name) (class\(member.classes.count == 1 ? "" : "es") \(member.classes.map(String.init).joined(separator: ", "))): " + evaluation.text
        }
        text += "\nall generators together, each generating for its own held-out examples (\(combined.generatedCount) generated, \(combined.realCount) real):\n"
        text += ModelEvaluation.textLines([combined]).joined(separator: "\n") + "\n"
        return text
    }
}
