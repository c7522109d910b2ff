import Layers
import Tensors

/// The header of a format-1 checkpoint (anneal 0.1): a fixed set of fields, read so that run folders written
/// before the training state became one value still resume.
struct LegacyCheckpointHeader: Decodable {
    struct Sums: Decodable {
        var examples: Int
        var loss: Double
        var reconstruction: Double
        var kl: [Double]
        var klPerDimension: [[Double]]
        var skippedSteps: Int
        var gradientNormSum: Double
        var steps: Int
    }

    struct Position: Decodable {
        var epoch: Int
        var order: [Int]
        var nextBatch: Int
        var sums: Sums
    }

    struct Entry: Decodable {
        var name: String
        var count: Int
    }

    var epoch: Int
    var globalStep: Int
    var position: Position?
    var generator: RandomGenerator
    var optimizerConfiguration: OptimizerConfiguration
    var optimizerStep: Int
    var skippedSteps: Int
    var consecutiveSkips: Int
    var bestValidationELBO: Double?
    var bestEpoch: Int?
    var configuration: String
    var tensors: [Entry]

    /// The same state in format 2: the models of format 1 had the terms reconstruction, then the KL terms.
    var trainingState: TrainingState {
        var state = TrainingState(generator: generator)
        state.epoch = epoch
        state.globalStep = globalStep
        state.consecutiveSkips = consecutiveSkips
        state.bestValidationELBO = bestValidationELBO
        state.bestEpoch = bestEpoch
        if let position {
            var sums = EpochSums(terms: [], measurements: 0)
            sums.examples = position.sums.examples
            sums.loss = position.sums.loss
            sums.terms = [position.sums.reconstruction] + position.sums.kl
            sums.klPerDimension = position.sums.klPerDimension
            sums.skippedSteps = position.sums.skippedSteps
            sums.gradientNormSum = position.sums.gradientNormSum
            sums.steps = position.sums.steps
            state.position = EpochPosition(epoch: position.epoch, order: position.order, nextBatch: position.nextBatch, sums: sums)
        }
        return state
    }

    var optimizerRecord: Checkpoint.OptimizerRecord {
        Checkpoint.OptimizerRecord(configuration: optimizerConfiguration, step: optimizerStep, skippedSteps: skippedSteps)
    }
}
