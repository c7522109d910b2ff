import ArgumentParser
import Foundation
import JSONConfig
import Tensors

/// `anneal bench`: training throughput on the models of ../shared/bench/ref_torch_vae.py.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure training throughput on the PyTorch reference benchmark models.",
        discussion: """
            Trains the models of shared/bench/ref_torch_vae.py (same sizes, likelihood, optimiser, batch size and \
            data) through anneal train's own trainer for one untimed warm-up epoch and --epochs timed epochs, then \
            prints samples per second of the training steps (what the references time) and with anneal train's \
            end-of-epoch pass (no validation set here, so the coverage and radius pass over the data: all 19,683 \
            operations on ternary, 4,096 examples on mlp-784); then, for the training steps: milliseconds per \
            step, effective GFLOP/s and the time inside matrix products (and oneDNN convolutions); peak resident memory, heap allocations \
            per step, and the BLAS library and kernel in use (with a warning when OPENBLAS_CORETYPE forces a \
            narrower kernel than the CPU has). JSON keys: samples_per_second (with the end-of-epoch pass), \
            step_samples_per_second, step_ms and gflops (training steps), step_alone_ms, product_ms, \
            products_per_step and product_gflops (full-batch steps), allocations_per_step (with the end-of-epoch \
            pass) and allocations_in_step.
            """
    )

    @Option(name: .long, help: "mlp-784 or ternary.")
    var model: BenchmarkModelArgument = .init(.mlp784)

    @Option(name: .long, help: "Threads for matrix products and the optimiser (one shared pool).")
    var threads: Int = 1

    @Option(name: .long, help: "Timed epochs (after one warm-up epoch).")
    var epochs: Int = 2

    @Option(name: .long, help: "text or json.")
    var format: BenchOutputFormat = .text

    @Option(name: .long, help: ArgumentHelp("Use only the first N examples (quick checks; comparisons with PyTorch use the full set).", valueName: "n"))
    var examples: Int?

    func validate() throws {
        if threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
        if epochs < 1 { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
        if let examples, examples < 1 || examples > model.value.examples {
            throw ValidationError("--examples must be in 1...\(model.value.examples) for \(model.value.rawValue), got \(examples)")
        }
    }

    func run() throws {
        let result: Benchmark.Result
        do {
            result = try Benchmark(model: model.value, threads: threads, epochs: epochs, examples: examples ?? model.value.examples).run()
        } catch {
            throw CommandFailure("anneal bench: \(error)")
        }
        if let warning = result.blasWarning { StandardError.print("warning: \(warning)") }
        switch format {
        case .json:
            let object = JSONValue.object([
                ("model", .string(result.model.rawValue)),
                ("samples_per_second", .number((result.samplesPerSecond * 10).rounded() / 10)),
                ("step_samples_per_second", .number((result.stepSamplesPerSecond * 10).rounded() / 10)),
                ("evaluation_seconds", .number((result.evaluationSeconds * 1e6).rounded() / 1e6)),
                ("seconds", .number((result.seconds * 1e6).rounded() / 1e6)),
                ("step_ms", .number((result.stepMilliseconds * 1000).rounded() / 1000)),
                ("gflops", .number((result.gigaflops * 10).rounded() / 10)),
                ("peak_rss_mb", .number((result.peakResidentMegabytes * 10).rounded() / 10)),
                ("threads", .number(result.threads)),
                ("epochs", .number(result.epochs)),
                ("examples", .number(result.examples)),
                ("steps", .number(result.steps)),
                ("final_loss", .number(result.finalLoss)),
                ("allocations_after_warmup", .number(result.graphAllocationsAfterWarmup)),
                ("allocations_per_step", result.allocationsPerStep.map { .number(($0 * 10).rounded() / 10) } ?? .null),
                ("allocations_in_step", result.allocationsInStep.map { .number(($0 * 10).rounded() / 10) } ?? .null),
                ("step_alone_ms", finite(result.stepAloneMilliseconds, places: 3)),
                ("product_ms", finite(result.productMilliseconds, places: 3)),
                ("products_per_step", finite(result.productsPerStep, places: 1)),
                ("product_gflops", finite(result.productGigaflops, places: 1)),
                ("blas_core", .string(result.blasCore)),
                ("blas_config", .string(result.blasConfiguration)),
                ("blas_warning", result.blasWarning.map { .string($0) } ?? .null),
                ("elementwise_kernels", .string(result.elementWiseKernels)),
                ("dsprites_draw_ms", result.spriteBatchMilliseconds.map { .number($0) } ?? .null),
            ])
            StandardOutput.write(JSONWriter.compact(object) + "\n")
        case .text:
            StandardOutput.write("""
                anneal bench \(result.model.rawValue): \(result.model.summary)
                  threads           \(result.threads) (one pool for matrix products and element-wise loops)
                  BLAS              \(result.blasConfiguration), kernel \(result.blasCore); element-wise kernels \(result.elementWiseKernels)
                  timed             \(result.epochs) epoch\(result.epochs == 1 ? "" : "s"), \(result.steps) steps, \(String(format: "%.2f", result.seconds)) s
                  samples/s         \(String(format: "%.1f", result.stepSamplesPerSecond)) in the training steps (what the PyTorch and JAX references time); \(String(format: "%.1f", result.samplesPerSecond)) with anneal train's end-of-epoch coverage and radius pass (\(String(format: "%.3f", result.evaluationSeconds)) s of the \(String(format: "%.2f", result.seconds)))
                  step              \(String(format: "%.3f", result.stepMilliseconds)) ms (training steps)
                  effective GFLOP/s \(String(format: "%.1f", result.gigaflops)) in the training steps (\(String(format: "%.2f", result.flopsPerExample / 1e6)) MFLOP per example)
                  \(result.model == .conv64 ? "products, convs " : "matrix products ")  \(String(format: "%.3f", result.productMilliseconds)) ms of a \(String(format: "%.3f", result.stepAloneMilliseconds)) ms full-batch step (\(String(format: "%.0f", 100 * result.productMilliseconds / result.stepAloneMilliseconds)) %), \(String(format: "%.0f", result.productsPerStep)) \(result.model == .conv64 ? "BLAS and oneDNN" : "BLAS") calls, at \(String(format: "%.1f", result.productGigaflops)) GFLOP/s; the rest \(String(format: "%.3f", result.stepAloneMilliseconds - result.productMilliseconds)) ms
                  peak memory       \(String(format: "%.1f", result.peakResidentMegabytes)) MB resident
                  allocations       \(result.allocationsPerStep.map { String(format: "%.1f", $0) } ?? "not counted on this platform") per step with the end-of-epoch pass, \(result.allocationsInStep.map { String(format: "%.1f", $0) } ?? "–") in the step alone (heap); graph buffers after warm-up: \(result.graphAllocationsAfterWarmup)
                  final loss        \(String(format: "%.4f", result.finalLoss))
                \(result.spriteBatchMilliseconds.map { "  dsprites draw     " + String(format: "%.3f", $0) + " ms a batch of \(result.model.batchSize) 64×64 images (" + String(format: "%.2f", 100 * $0 / result.stepMilliseconds) + " % of the step), what the built-in dsprites data adds\n" } ?? "")
                """)
        }
    }
}

/// A JSON number rounded to `places` decimals, or null when not finite (nothing was timed).
private func finite(_ value: Double, places: Int) -> JSONValue {
    guard value.isFinite else { return .null }
    let scale = Foundation.pow(10, Double(places))
    return .number((value * scale).rounded() / scale)
}

/// `--model`, with the allowed names in its error.
struct BenchmarkModelArgument: ExpressibleByArgument {
    let value: BenchmarkModel
    init(_ value: BenchmarkModel) { self.value = value }
    init?(argument: String) {
        guard let value = BenchmarkModel(rawValue: argument) else { return nil }
        self.value = value
    }
    static var allValueStrings: [String] { BenchmarkModel.allCases.map(\.rawValue) }
    var defaultValueDescription: String { value.rawValue }
}

enum BenchOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}
