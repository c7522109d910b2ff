import Foundation
import Layers
import Models
import Tensors

/// Trains a benchmark model for a number of epochs after one untimed warm-up epoch, as the PyTorch reference
/// does, and measures throughput and memory.
struct Benchmark {
    struct Result {
        var model: BenchmarkModel
        var threads: Int
        var epochs: Int
        var examples: Int
        var steps: Int
        var seconds: Double
        var samplesPerSecond: Double
        var stepMilliseconds: Double
        var gigaflops: Double
        var flopsPerExample: Double
        var peakResidentMegabytes: Double
        var finalLoss: Double
        var graphAllocationsAfterWarmup: Int
    }

    let model: BenchmarkModel
    let threads: Int
    let epochs: Int
    let examples: Int
    let seed: UInt64 = 0

    func run() -> Result {
        BLAS.setThreads(threads)
        var generator = RandomGenerator(seed: seed)
        let vae = VariationalModel<Float>(
            kind: .vae, likelihood: model == .mlp784 ? .bernoulli : .categorical(groupSize: 3), featureCount: model.inputSize,
            hiddenSizes: model.hiddenSizes, latentSizes: [model.latentDimension], generator: &generator)
        let optimizer = Optimizer(parameters: vae.parameters, configuration: .adam(), learningRate: 1e-3)
        optimizer.threads = threads
        let data = BenchmarkData(model: model, generator: &generator, examples: examples)
        let graph = Graph<Float>()
        var order = Array(0..<data.count)
        var lastLoss = 0.0

        func epoch(beta: Double) {
            generator.shuffle(&order)
            var start = 0
            while start < data.count {
                let rows = min(model.batchSize, data.count - start)
                graph.reset()
                let input = graph.constant(rows: rows, columns: model.inputSize) { data.fillInputs(order, start, rows, $0) }
                let target: VariationalModel<Float>.Target
                if model == .mlp784 {
                    target = .values(input)
                } else {
                    target = .labels(graph.labels(rows: rows, columns: 9) { data.fillLabels(order, start, rows, $0) })
                }
                let output = vae.forward(input, target: target, conditions: nil, generator: &generator, in: graph)
                // (reconstruction + β·KL) per example, averaged over the batch, as the reference script.
                let kl = graph.sumOverColumns(output.klPerDimension[0])
                let loss = graph.mean(graph.add(output.reconstruction, graph.scale(kl, by: beta)))
                graph.backward(loss)
                optimizer.update()
                optimizer.zeroGradients()
                lastLoss = Double(graph.scalar(loss))
                start += rows
            }
        }

        epoch(beta: 0.1)  // warm-up, not timed
        let allocationsAfterWarmup = graph.allocations
        let started = DispatchTime.now().uptimeNanoseconds
        for e in 0..<epochs { epoch(beta: min(1, Double(e + 1) / Double(epochs))) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9

        let stepsPerEpoch = (data.count + model.batchSize - 1) / model.batchSize
        let samplesPerSecond = Double(epochs * data.count) / seconds
        // Forward multiply-adds M per example; backward computes weight gradients (M) and input gradients for
        // every layer but the first (M − first layer). Two FLOPs per multiply-add.
        let forward = Double(vae.multiplyAddsPerExample)
        let firstLayer = Double(vae.encoder.layers[0].multiplyAddsPerExample)
        let flopsPerExample = 2 * (3 * forward - firstLayer)
        return Result(
            model: model, threads: threads, epochs: epochs, examples: data.count, steps: epochs * stepsPerEpoch, seconds: seconds,
            samplesPerSecond: samplesPerSecond, stepMilliseconds: seconds / Double(epochs * stepsPerEpoch) * 1000,
            gigaflops: flopsPerExample * samplesPerSecond / 1e9, flopsPerExample: flopsPerExample,
            peakResidentMegabytes: Self.peakResidentMegabytes(), finalLoss: lastLoss,
            graphAllocationsAfterWarmup: graph.allocations - allocationsAfterWarmup)
    }

    /// The process's peak resident set size (getrusage's ru_maxrss, kilobytes on Linux, bytes on macOS).
    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        #if os(macOS)
        return Double(usage.ru_maxrss) / 1_048_576
        #else
        return Double(usage.ru_maxrss) / 1024
        #endif
    }
}
