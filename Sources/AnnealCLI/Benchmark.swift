import CAllocationCounter
import CKernels
import Data
import Foundation
import JSONConfig
import Layers
import Models
import Tensors
import Training

/// Trains a benchmark model through `anneal train`'s own trainer (the same step: quantities, objective,
/// the global-norm check that skips non-finite steps, the optimiser) for one untimed warm-up epoch and then
/// the timed epochs, as the PyTorch and JAX references do, and measures throughput and memory.
///
/// The run matches ../shared/bench/ref_torch_vae.py: Adam at 1e-3 (1e-4 for conv-64), no gradient clipping (`grad_clip_norm:
/// null`; the norm is still computed, for the skip check), β = 0.1 in the warm-up epoch and min(1, e/E) in
/// timed epoch e = 1…E, no validation set, no files.
struct Benchmark {
    struct Result {
        var model: BenchmarkModel
        var threads: Int
        var epochs: Int
        var examples: Int
        var steps: Int
        var seconds: Double
        var samplesPerSecond: Double
        /// Seconds of the timed epochs spent in anneal train's end-of-epoch work, which the references lack:
        /// with no validation set here, the coverage and radius pass (all 19,683 operations on ternary, the
        /// first 4,096 examples on mlp-784).
        var evaluationSeconds: Double
        /// Samples per second of the training steps alone (timed seconds without the end-of-epoch evaluation):
        /// the work the PyTorch and JAX references time.
        var stepSamplesPerSecond: Double
        /// Milliseconds per step and effective GFLOP/s of the training steps (without the end-of-epoch pass).
        var stepMilliseconds: Double
        var gigaflops: Double
        var flopsPerExample: Double
        var peakResidentMegabytes: Double
        var finalLoss: Double
        var graphAllocationsAfterWarmup: Int
        /// Heap allocations (malloc, calloc, realloc) per timed step; nil where they cannot be counted.
        var allocationsPerStep: Double?
        /// Heap allocations of one step alone (between two steps of an epoch), without the epoch's evaluation.
        var allocationsInStep: Double?
        /// One step alone (between two steps of an epoch, full batches), and the part of it inside matrix
        /// products (BLAS calls, timed on the calling thread), in milliseconds, and the products per step.
        var stepAloneMilliseconds: Double
        var productMilliseconds: Double
        var productsPerStep: Double
        /// The matrix products' own rate: the step's multiply-adds over the time inside them.
        var productGigaflops: Double
        /// OpenBLAS's kernel family, its build configuration, and a warning when OPENBLAS_CORETYPE forces a
        /// narrower kernel than the CPU has.
        var blasCore: String
        var blasConfiguration: String
        var blasWarning: String?
        /// The instruction set of Anneal's own element-wise kernels.
        var elementWiseKernels: String
        /// conv-64 only: milliseconds to draw one batch of dsprites' 64×64 images (`SpriteImages.draw`, the best
        /// of 20 batches of random images), what the built-in dSprites-style data adds to a step.
        var spriteBatchMilliseconds: Double?
    }

    let model: BenchmarkModel
    let threads: Int
    let epochs: Int
    let examples: Int

    /// The run config of the benchmark: the reference's model, optimiser and β.
    var configuration: String {
        let knots = ([[0, 0.1]] + (1...epochs).map { [Double($0), min(1, Double($0) / Double(epochs))] }).map { "[\($0[0]), \($0[1])]" }.joined(separator: ", ")
        let data = model == .ternary ? #"{"source": "ternary_operations", "validation_fraction": 0}"#
                                     : #"{"source": "npy", "path": "random-binary-\#(model.rawValue).npy", "validation_fraction": 0}"#
        return """
            {"data": \(data),
             "model": \(model.modelSection),
             "training": {"num_epochs": \(epochs + 1), "batch_size": \(model.batchSize), "learning_rate": \(model.learningRate), "grad_clip_norm": null, "seed": 0,
                          "beta_scheduler_type": "piecewise", "beta_scheduler_params": {"knots": [\(knots)], "interpolation": "step"}},
             "logging": {"tensorboard": false}}
            """
    }

    /// Remembers the last step's loss, and counts the heap allocations between consecutive steps of one epoch
    /// (the step alone, without the epoch's validation and metrics).
    final class LastLoss: TrainingObserver {
        var loss = 0.0
        var counting = false
        /// The counters at the end of the previous step: heap allocations, wall time, time in matrix products
        /// and product calls.
        private var previous: (epoch: Int, allocations: UInt64, nanoseconds: UInt64, products: UInt64, calls: UInt64)?
        var stepAllocations: UInt64 = 0
        var countedSteps = 0
        var stepNanoseconds: UInt64 = 0
        var productNanoseconds: UInt64 = 0
        var productCalls: UInt64 = 0
        var timedSteps = 0
        func stepFinished(_ step: StepMetrics) {
            loss = step.loss
            guard counting else { return }
            let now = (epoch: step.epoch, allocations: anneal_allocation_count(), nanoseconds: anneal_monotonic_nanoseconds(),
                       products: anneal_product_nanoseconds(), calls: anneal_product_calls())
            if let previous, previous.epoch == step.epoch {
                stepAllocations += now.allocations - previous.allocations
                countedSteps += 1
                // The epoch's last batch (1-based `batch`) may be short: it is not timed.
                if step.batch < step.stepsPerEpoch {
                    stepNanoseconds += now.nanoseconds - previous.nanoseconds
                    productNanoseconds += now.products - previous.products
                    productCalls += now.calls - previous.calls
                    timedSteps += 1
                }
            }
            previous = now
        }
    }

    func run() throws -> Result {
        BLAS.setThreads(threads)
        let run = try RunConfiguration.parse(try JSONParser.parse(configuration), file: "anneal bench")
        let trainer = try Trainer(configuration: run, dataset: BenchmarkData.dataset(model, examples: examples), runDirectory: nil)
        trainer.optimizer.threads = threads
        let last = LastLoss()
        _ = try trainer.run(observers: [last]) { trainer.epoch >= 1 }  // the warm-up epoch, not timed
        let allocationsAfterWarmup = trainer.graphAllocations
        last.counting = true
        anneal_product_timing_enable(1)
        defer { anneal_product_timing_enable(0) }
        let heapAllocationsBefore = anneal_allocation_count()
        let evaluationBefore = trainer.epochEndSeconds
        let started = DispatchTime.now().uptimeNanoseconds
        _ = try trainer.run(observers: [last])
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let evaluationSeconds = trainer.epochEndSeconds - evaluationBefore
        let heapAllocations = anneal_allocation_count() - heapAllocationsBefore

        let stepsPerEpoch = trainer.stepsPerEpoch
        let samplesPerSecond = Double(epochs * examples) / seconds
        // Forward multiply-adds M per example; backward computes weight gradients (M) and input gradients for
        // every layer but the first (M − first layer). Two FLOPs per multiply-add.
        let forward = Double(trainer.model.multiplyAddsPerExample)
        let firstLayer = Double(trainer.model.inputLayerMultiplyAdds)
        let flopsPerExample = 2 * (3 * forward - firstLayer)
        return Result(
            model: model, threads: threads, epochs: epochs, examples: examples, steps: epochs * stepsPerEpoch, seconds: seconds,
            samplesPerSecond: samplesPerSecond, evaluationSeconds: evaluationSeconds,
            stepSamplesPerSecond: Double(epochs * examples) / (seconds - evaluationSeconds),
            stepMilliseconds: (seconds - evaluationSeconds) / Double(epochs * stepsPerEpoch) * 1000,
            gigaflops: flopsPerExample * Double(epochs * examples) / (seconds - evaluationSeconds) / 1e9, flopsPerExample: flopsPerExample,
            peakResidentMegabytes: Self.peakResidentMegabytes(), finalLoss: last.loss,
            graphAllocationsAfterWarmup: trainer.graphAllocations - allocationsAfterWarmup,
            allocationsPerStep: anneal_allocation_counting() != 0 ? Double(heapAllocations) / Double(epochs * stepsPerEpoch) : nil,
            allocationsInStep: anneal_allocation_counting() != 0 && last.countedSteps > 0 ? Double(last.stepAllocations) / Double(last.countedSteps) : nil,
            stepAloneMilliseconds: last.timedSteps > 0 ? Double(last.stepNanoseconds) / Double(last.timedSteps) / 1e6 : .nan,
            productMilliseconds: last.timedSteps > 0 ? Double(last.productNanoseconds) / Double(last.timedSteps) / 1e6 : .nan,
            productsPerStep: last.timedSteps > 0 ? Double(last.productCalls) / Double(last.timedSteps) : .nan,
            productGigaflops: last.productNanoseconds > 0
                ? flopsPerExample * Double(model.batchSize * last.timedSteps) / Double(last.productNanoseconds) : .nan,
            blasCore: BLAS.coreName, blasConfiguration: BLAS.configuration, blasWarning: BLAS.forcedNarrowerKernelWarning,
            elementWiseKernels: String(cString: anneal_kernel_isa()),
            spriteBatchMilliseconds: model == .conv64 ? Self.spriteBatchMilliseconds(batch: model.batchSize) : nil)
    }

    /// The best of 20 timed batches of `batch` random dsprites images drawn at 64×64.
    static func spriteBatchMilliseconds(batch: Int) -> Double {
        let images = SpriteImages(resolution: 64)!
        var generator = RandomGenerator(seed: 1)
        var buffer = [Float](repeating: 0, count: batch * 64 * 64)
        var best = Double.infinity
        for _ in 0..<20 {
            let indices = (0..<batch).map { _ in generator.integer(below: SpriteImages.count) }
            let started = DispatchTime.now().uptimeNanoseconds
            buffer.withUnsafeMutableBufferPointer { pointer in
                for (position, index) in indices.enumerated() { images.draw(index, into: pointer.baseAddress! + position * 64 * 64) }
            }
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
        }
        return best
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
