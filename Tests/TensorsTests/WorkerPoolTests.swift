import CKernels
import Testing
@testable import Tensors

/// The shared pool: every part exactly once, nested jobs, and matrix products split over it giving the numbers
/// of one call.
@Suite("Worker pool", .serialized)
struct WorkerPoolTests {
    @Test("every part runs exactly once, on one thread or two, nested jobs included")
    func everyPartOnce() {
        for threads in [1, 2] {
            WorkerPool.setThreads(threads)
            defer { WorkerPool.setThreads(1) }
            for parts in [0, 1, 2, 3, 17, 1000] {
                let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(1, parts) * 4)
                defer { counts.deallocate() }
                counts.initialize(repeating: 0)
                WorkerPool.run(parts: parts) { part in
                    counts[part * 4] += 1
                    WorkerPool.run(parts: 3) { inner in counts[part * 4 + 1 + inner] += 1 }
                }
                #expect(counts.prefix(parts * 4).allSatisfy { $0 == 1 }, "threads \(threads), parts \(parts)")
            }
        }
    }

    @Test("a product split over two threads (by columns or by rows, any transposes): the same bits every time, and within rounding of one call")
    func splitProductsMatch() {
        var generator = RandomGenerator(seed: 11)
        for (m, n, k) in [(128, 400, 784), (784, 96, 400), (300, 1000, 40)] {
            for (transposeA, transposeB) in [(false, false), (false, true), (true, false), (true, true)] {
                var a = [Float](repeating: 0, count: m * k), b = [Float](repeating: 0, count: k * n)
                a.withUnsafeMutableBufferPointer { generator.fillNormal($0) }
                b.withUnsafeMutableBufferPointer { generator.fillNormal($0) }
                func product(threads: Int) -> [Float] {
                    WorkerPool.setThreads(threads)
                    defer { WorkerPool.setThreads(1) }
                    var c = [Float](repeating: 0.5, count: m * n)
                    Float.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 1,
                               a: a, lda: transposeA ? m : k, b: b, ldb: transposeB ? k : n, beta: 1, c: &c, ldc: n)
                    return c
                }
                let one = product(threads: 1), two = product(threads: 2), again = product(threads: 2)
                // OpenBLAS may block a narrower product differently, so two threads need not give one call's bits;
                // they must give their own bits every time, and agree to rounding (|c| ≈ √k here).
                #expect(two == again, "\(m)×\(n)×\(k) \(transposeA) \(transposeB): two threads not reproducible")
                let largest = zip(one, two).map { abs($0 - $1) }.max() ?? 0
                #expect(largest <= 1e-4 * Float(k).squareRoot(), "\(m)×\(n)×\(k) \(transposeA) \(transposeB): differs by \(largest)")
            }
        }
    }

    @Test("the vector width of OpenBLAS kernel families, for the forced-kernel warning")
    func kernelLevels() {
        #expect(BLAS.vectorLevel(ofCore: "Cooperlake") == 2)
        #expect(BLAS.vectorLevel(ofCore: "SKYLAKEX") == 2)
        #expect(BLAS.vectorLevel(ofCore: "Haswell") == 1)
        #expect(BLAS.vectorLevel(ofCore: "Zen") == 1)
        #expect(BLAS.vectorLevel(ofCore: "Sandybridge") == 0)
        #expect(BLAS.vectorLevel(ofCore: "neoversen1") == nil)
    }
}
