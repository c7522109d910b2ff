import Foundation
import Testing
import Tensors
@testable import Evaluation

/// Timings on 10,000 real and 10,000 generated points in 64-D, the size the metrics are meant for. Off by
/// default (a debug build is many times slower than a release one); run them with
///     ANNEAL_EVALUATION_BENCHMARK=1 swift test -c release -Xswiftc -enable-testing --filter LargeSetBenchmark
/// and optionally ANNEAL_EVALUATION_THREADS=2 for two BLAS threads.
@Suite("Large-set timings", .enabled(if: ProcessInfo.processInfo.environment["ANNEAL_EVALUATION_BENCHMARK"] != nil, "set ANNEAL_EVALUATION_BENCHMARK=1"))
struct LargeSetBenchmarkTests {
    static let size = 10_000, dimensions = 64

    static func sets() -> (real: Tensor<Float>, generated: Tensor<Float>) {
        let real = gaussian(rows: size, columns: dimensions, seed: 1)
        let generated = gaussian(rows: size, columns: dimensions, seed: 2)
        let float = { (t: Tensor<Double>) in Tensor<Float>(rows: t.rows, columns: t.columns, scalars: t.scalars.map { Float($0) }) }
        return (float(real), float(generated))
    }

    /// Wall-clock and processor seconds of `body` (processor time is what the work costs when other
    /// processes share the cores).
    static func seconds(_ body: () throws -> Void) rethrows -> (wall: Double, processor: Double) {
        func processorTime() -> Double {
            var time = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
            return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
        }
        let start = DispatchTime.now().uptimeNanoseconds, startProcessor = processorTime()
        try body()
        return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, processorTime() - startProcessor)
    }

    static func text(_ time: (wall: Double, processor: Double)) -> String {
        String(format: "%.2f s (%.2f s processor)", time.wall, time.processor)
    }

    @Test("10k × 10k in 64-D: one distance pass, PRDC, MMD², Fréchet, similarity and diversity each take seconds")
    func timings() throws {
        BLAS.setThreads(Int(ProcessInfo.processInfo.environment["ANNEAL_EVALUATION_THREADS"] ?? "1") ?? 1)
        let (real, generated) = Self.sets()
        let x = try FeatureMatrix(real, set: "real", metric: "benchmark"), y = try FeatureMatrix(generated, set: "generated", metric: "benchmark")
        var checksum = 0.0
        let pass = Self.seconds {
            PairwiseBlocks.forEachDistanceBlock(x, y, squared: false) { _, count, block in checksum += block[0] + block[count * Self.size - 1] }
        }
        var prdc: PrecisionRecallDensityCoverage?
        let prdcTime = try Self.seconds { prdc = try PrecisionRecallDensityCoverage(real: real, generated: generated) }
        var mmd: MaximumMeanDiscrepancy?
        let mmdTime = try Self.seconds { mmd = try MaximumMeanDiscrepancy(real: real, generated: generated) }
        var frechet: FrechetDistance?
        let frechetTime = try Self.seconds { frechet = try FrechetDistance(real: real, generated: generated) }
        let similarityTime = try Self.seconds { _ = try GeneratedToRealSimilarity(real: real, generated: generated) }
        let diversityTime = try Self.seconds { _ = try SampleDiversity(samples: generated) }
        print("BLAS threads \(BLAS.threads); one 10k × 10k distance pass \(Self.text(pass)); PRDC \(Self.text(prdcTime)); MMD² \(Self.text(mmdTime)); "
              + "Fréchet \(Self.text(frechetTime)); similarity \(Self.text(similarityTime)); diversity \(Self.text(diversityTime))")
        print(prdc!, mmd!, frechet!, separator: "\n")
        #expect(checksum.isFinite)
        #expect(pass.wall < 10 && prdcTime.wall < 30 && mmdTime.wall < 30 && frechetTime.wall < 5 && similarityTime.wall < 20 && diversityTime.wall < 20)
        // Two samples of N(0, I): precision and recall alike, density near 1, coverage near 1 (Naeem et al.).
        #expect(abs(prdc!.precision - prdc!.recall) < 0.05 && abs(prdc!.density - 1) < 0.2 && prdc!.coverage > 0.9)
        #expect(abs(mmd!.unbiased) < 1e-3 && frechet!.distance < 1)
    }
}
