import Data
import Models
import Tensors

/// Copies a batch of examples from a data set into graph constants: the input features, the target (the
/// features, or class indices for categorical data), and the one-hot label for conditional models, and the per-example difficulty when the data set has one.
struct BatchAssembler {
    let dataset: Dataset
    let conditioned: Bool

    func batch(_ indices: ArraySlice<Int>, in graph: Graph<Float>) -> ModelBatch<Float> {
        let rows = indices.count, width = dataset.featureCount
        let input = graph.constant(rows: rows, columns: width) { buffer in
            dataset.storage.copyRows(indices, width: width, into: buffer.baseAddress!)
        }
        let target: ModelBatch<Float>.Target
        if case .categorical(let groups, let groupSize) = dataset.kind, let categories = dataset.categories {
            target = .labels(graph.labels(rows: rows, columns: groups) { buffer in
                for (row, index) in indices.enumerated() {
                    for g in 0..<groups { buffer[row * groups + g] = categories[index * groups + g] }
                }
            }, groupSize: groupSize)
        } else {
            target = .values(input)
        }
        var conditions: Graph<Float>.Variable?
        if conditioned, let labels = dataset.labels {
            let labelVariable = graph.labels(rows: rows, columns: 1) { buffer in
                for (row, index) in indices.enumerated() { buffer[row] = labels[index] }
            }
            conditions = graph.oneHot(labelVariable, classes: dataset.classCount)
        }
        let difficulty = dataset.difficulty.map { values in
            graph.constant(rows: rows, columns: 1) { buffer in
                for (row, index) in indices.enumerated() { buffer[row] = Float(values[index]) }
            }
        }
        return ModelBatch(input: input, target: target, conditions: conditions, difficulty: difficulty)
    }
}
