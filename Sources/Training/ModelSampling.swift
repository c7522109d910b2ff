import Data
import Models
import Tensors

/// Draws from a trained model: decoded samples from the prior (at a temperature, optionally of one class),
/// or the decoded points on a straight line between two examples' posterior means.
public enum ModelSampling {
    /// The decoded rows (count × features): the mean of p(x | z) (probabilities for Bernoulli and categorical
    /// data), and the latent codes they came from.
    public struct Samples {
        public var means: [Float]
        public var latents: [Float]
        public var count: Int
        public var featureCount: Int
        public var latentWidth: Int

        /// `first`'s rows followed by `next`'s (`next` alone when there is no `first`).
        public static func joined(_ first: Samples?, _ next: Samples) -> Samples {
            guard var all = first else { return next }
            all.means += next.means
            all.latents += next.latents
            all.count += next.count
            return all
        }
    }

    /// `count` samples from the prior with noise scaled by `temperature`; `label` (a class index of the data)
    /// conditions a conditional model.
    public static func prior(_ trained: TrainedModel, count: Int, temperature: Double, label: Int32?, seed: UInt64) -> Samples {
        let model = trained.model, dataset = trained.dataset
        let graph = Graph<Float>()
        var noise = RandomGenerator(seed: seed)
        var samples = Samples(means: [], latents: [], count: count, featureCount: dataset.featureCount, latentWidth: model.latentWidth)
        var done = 0
        while done < count {
            let rows = min(1024, count - done)
            graph.reset()
            let conditions = label.map { label in
                graph.oneHot(graph.labels(rows: rows, columns: 1) { $0.update(repeating: label) }, classes: dataset.classCount)
            }
            let z = model.samplePrior(rows: rows, conditions: conditions, temperature: temperature, noise: &noise, in: graph)
            samples.latents += graph.value(z)
            samples.means += graph.value(model.reconstructionMean(model.decode(z, conditions: conditions, context: trained.context(temperature: temperature), in: graph), in: graph))
            done += rows
        }
        return samples
    }

    /// Given latent codes decoded: `codes` holds `count` rows of `latentWidth` (every block side by side, in the
    /// model's order), `label` conditions a conditional model. The means are the likelihood's mean of each code
    /// (probabilities for Bernoulli and categorical data), in the model's units.
    public static func decode(_ trained: TrainedModel, codes: [Float], count: Int, label: Int32?) -> Samples {
        let model = trained.model, dataset = trained.dataset
        let width = model.latentWidth
        precondition(codes.count == count * width, "decode: \(codes.count) values for \(count) codes of \(width)")
        let graph = Graph<Float>()
        var samples = Samples(means: [], latents: codes, count: count, featureCount: dataset.featureCount, latentWidth: width)
        var done = 0
        while done < count {
            let rows = min(1024, count - done)
            graph.reset()
            let z = graph.constant(rows: rows, columns: width) { $0.update(from: codes[(done * width)..<((done + rows) * width)]) }
            let conditions = label.map { label in
                graph.oneHot(graph.labels(rows: rows, columns: 1) { $0.update(repeating: label) }, classes: dataset.classCount)
            }
            samples.means += graph.value(model.reconstructionMean(model.decode(z, conditions: conditions, context: trained.context(temperature: 0), in: graph), in: graph))
            done += rows
        }
        return samples
    }

    /// `steps` points from example `first`'s posterior mean to example `last`'s (both included), decoded;
    /// a conditional model is conditioned on `label` (by default the first example's).
    public static func interpolation(_ trained: TrainedModel, from first: Int, to last: Int, steps: Int, label: Int32?) -> Samples {
        let model = trained.model, dataset = trained.dataset
        let conditioned = trained.configuration.model.specification.needsLabels
        let graph = Graph<Float>()
        var noise = RandomGenerator(seed: 0)
        let output = model.forward(BatchAssembler(dataset: dataset, conditioned: conditioned).batch([first, last][...], in: graph),
                                   context: trained.context(temperature: 0), noise: &noise, in: graph)
        let ends = Array(graph.value(output.latent))  // temperature 0: the posterior means, 2 × width
        let width = model.latentWidth
        var latents: [Float] = []
        for step in 0..<steps {
            let t = steps == 1 ? 0 : Float(step) / Float(steps - 1)
            for d in 0..<width { latents.append((1 - t) * ends[d] + t * ends[width + d]) }
        }
        graph.reset()
        let z = graph.constant(rows: steps, columns: width) { $0.update(from: latents) }
        let conditionLabel = label ?? dataset.labels?[first]
        let conditions = conditioned ? conditionLabel.map { label in
            graph.oneHot(graph.labels(rows: steps, columns: 1) { $0.update(repeating: label) }, classes: dataset.classCount)
        } : nil
        let means = Array(graph.value(model.reconstructionMean(model.decode(z, conditions: conditions, context: trained.context(temperature: 0), in: graph), in: graph)))
        return Samples(means: means, latents: latents, count: steps, featureCount: dataset.featureCount, latentWidth: width)
    }

    /// For categorical data: the most likely class of each group of each row (count × groups), e.g. the 9
    /// digits of an operation table.
    public static func classes(_ samples: Samples, groupSize: Int) -> [Int32] {
        var result: [Int32] = []
        var start = 0
        while start + groupSize <= samples.means.count {
            var best = 0
            for k in 1..<groupSize where samples.means[start + k] > samples.means[start + best] { best = k }
            result.append(Int32(best))
            start += groupSize
        }
        return result
    }
}
