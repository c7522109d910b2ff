import Data
import Foundation
import Imaging
import Models
import RunLog
import Tensors

/// The pictures of an image model that `report.html` shows: `samples.png`, decoded prior samples (the
/// likelihood's mean, temperature 1; a conditional model's samples go through its classes in turn, row by
/// row), and `reconstructions.png`, the first validation examples (training examples when none are held out)
/// (evenly spaced through them) in rows of 8 with, below each row, their reconstructions (the decoded posterior mean). Standardised data is
/// shown in the data's units; gray images as gray and RGB as RGB, each enlarged to at least 64 pixels a side.
/// Also `traversal.png` (`traversal-<block>.png` for a model of several latent blocks): `LatentTraversal` from
/// the first of those examples' posterior mean, rows ordered by KL over up to 1,024 of them, 10 values a row.
/// Written atomically at the end of a run for image data of 1 or 3 channels whose model is finite.
public enum RunPictures {
    /// File names in the run folder.
    public static let samplesFile = "samples.png"
    public static let reconstructionsFile = "reconstructions.png"
    static let sampleCount = 32
    static let reconstructionCount = 16
    static let columns = 8

    /// Writes both pictures for `trainer`'s model into `directory`; returns the files written (none for data
    /// that is not images of 1 or 3 channels, or a model whose output is not finite).
    public static func write(_ trainer: Trainer, to directory: String) throws(ImagingError) -> [String] {
        let dataset = trainer.dataset
        guard let shape = dataset.imageShape, [1, 3].contains(dataset.imageChannels), case .continuous = dataset.kind else { return [] }
        let model = trainer.model, graph = Graph<Float>()
        let conditioned = trainer.configuration.model.specification.needsLabels
        var context = trainer.validationContext()
        context.temperature = 0
        // Prior samples, one class per column for a conditional model.
        var noise = RandomGenerator(seed: 0x5A_4D91E5)
        let present = dataset.classesPresent.isEmpty ? [0] : dataset.classesPresent
        let labels = (0..<sampleCount).map { Int32(present[$0 % present.count]) }
        let sampleConditions = conditioned ? graph.oneHot(graph.labels(rows: sampleCount, columns: 1) { _ = $0.update(fromContentsOf: labels) },
                                                          classes: dataset.classCount) : nil
        let z = model.samplePrior(rows: sampleCount, conditions: sampleConditions, temperature: 1, noise: &noise, in: graph)
        var samples = Array(graph.value(model.reconstructionMean(model.decode(z, conditions: sampleConditions, context: context, in: graph), in: graph)))
        // Reconstructions of the first examples: posterior means (temperature 0) decoded.
        // Spread over the pool (evenly spaced), so data sorted by class shows several classes.
        let pool = trainer.split.validation.isEmpty ? trainer.split.training : trainer.split.validation
        let picks = min(reconstructionCount, pool.count)
        let rows = (0..<picks).map { pool[$0 * pool.count / picks] }
        guard !rows.isEmpty else { return [] }
        graph.reset()
        let batch = BatchAssembler(dataset: dataset, conditioned: conditioned).batch(rows[...], in: graph)
        var unused = RandomGenerator(seed: 0)
        let output = model.forward(batch, context: context, noise: &unused, in: graph)
        let originals = Array(graph.value(batch.input))
        let decoded = Array(graph.value(model.reconstructionMean(model.decode(output.latent, conditions: batch.conditions, context: context, in: graph), in: graph)))
        let width = dataset.featureCount
        // Rows of 8 originals, each followed by a row of their reconstructions.
        var pairs: [Float] = []
        var order: [Int] = []
        for start in stride(from: 0, to: rows.count, by: columns) {
            let end = min(rows.count, start + columns)
            for row in start..<end { pairs += originals[(row * width)..<((row + 1) * width)]; order.append(row) }
            for row in start..<end { pairs += decoded[(row * width)..<((row + 1) * width)] }
        }
        if let standardization = dataset.standardization {
            standardization.undo(&samples)
            standardization.undo(&pairs)
        }
        guard samples.allSatisfy({ $0.isFinite }), pairs.allSatisfy({ $0.isFinite }) else { return [] }
        let format: PixelFormat = dataset.imageChannels == 3 ? .rgb : .grayscale
        let pixels = shape.width * shape.height
        let scale = max(1, 64 / max(shape.width, shape.height))
        func grid(_ values: [Float], count: Int, columns: Int) throws(ImagingError) -> ImageGrid {
            try ImageGrid(pixels: ImageGrid.interleaved(values, channels: dataset.imageChannels, pixels: pixels), imageCount: count,
                          width: shape.width, height: shape.height, format: format, columns: columns, scale: scale)
        }
        try grid(samples, count: sampleCount, columns: columns).write(to: directory + "/" + samplesFile)
        var written = [samplesFile, reconstructionsFile]
        // A short last row of 8 would misalign originals and reconstructions: use as many columns as the first row.
        try grid(pairs, count: pairs.count / width, columns: min(columns, rows.count)).write(to: directory + "/" + reconstructionsFile)
        // Traversals from the first example's code (the mean code of data such as dsprites decodes to an empty
        // picture), 10 steps (the prior's ±3σ, quantiles on the ball), rows by KL over up to 1,024 examples.
        let values = LatentTraversal.defaultValues(for: model)
        let blocks = LatentTraversal.traverse(model: model, dataset: dataset, examples: Array(pool.prefix(1024)), conditioned: conditioned,
                                              label: conditioned ? dataset.labels?[pool[0]] : nil, base: pool[0], values: values, steps: 10, context: context)
        let legend = blocks.map { (blocks.count == 1 ? "" : "traversal-\($0.name).png:\n") + LatentTraversal.legend($0) }.joined(separator: "\n")
        try? AtomicFile.write(legend + "\n", to: directory + "/" + traversalLegendFile)
        for block in blocks {
            let name = blocks.count == 1 ? traversalFile : "traversal-\(block.name).png"
            guard let picture = try traversalGrid(block, dataset: dataset, steps: 10) else { continue }
            try picture.write(to: directory + "/" + name)
            written.append(name)
        }
        return written
    }

    public static let traversalFile = "traversal.png"
    /// Each traversal row's dimension and KL (`LatentTraversal.legend`), for the report.
    public static let traversalLegendFile = "traversal.txt"

    /// A traversal block as a grid: one row per dimension, collapsed rows dimmed to 40 %, standardisation undone;
    /// nil when a value is not finite or the data are not images of 1 or 3 channels.
    public static func traversalGrid(_ block: LatentTraversal.Block, dataset: Dataset, steps: Int) throws(ImagingError) -> ImageGrid? {
        guard let shape = dataset.imageShape, [1, 3].contains(dataset.imageChannels), !block.rows.isEmpty else { return nil }
        var images = block.images
        dataset.standardization?.undo(&images)
        let width = dataset.featureCount
        for (index, row) in block.rows.enumerated() where row.collapsed {
            for i in (index * steps * width)..<((index + 1) * steps * width) { images[i] *= 0.4 }
        }
        guard images.allSatisfy({ $0.isFinite }) else { return nil }
        return try ImageGrid(pixels: ImageGrid.interleaved(images, channels: dataset.imageChannels, pixels: shape.width * shape.height),
                             imageCount: block.rows.count * steps, width: shape.width, height: shape.height,
                             format: dataset.imageChannels == 3 ? .rgb : .grayscale, columns: steps, scale: max(1, 64 / max(shape.width, shape.height)))
    }
}
