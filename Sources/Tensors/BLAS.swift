import CKernels
#if canImport(Accelerate)
import Accelerate
#else
import COpenBLAS
#endif
#if os(Linux) && canImport(CConvolution)
import CConvolution
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The BLAS library behind matrix multiplication: OpenBLAS on Linux, Accelerate on macOS.
///
/// OpenBLAS always runs on one thread per call. With `setThreads(n)`, n > 1, a product of at least
/// `multithreadingThreshold` multiply-adds is split into n parts along the longer side of its result, one
/// OpenBLAS call per part on the `WorkerPool`'s threads (which the element-wise loops share): each element of
/// the result is still one call's dot product over the whole inner dimension.
public enum BLAS {
    /// Products with fewer multiply-adds than this run on one thread: splitting them costs more in
    /// synchronisation than it gains (measured on the ternary benchmark, whose largest product is
    /// 256 × 128 × 128 ≈ 4.2 M).
    public static let multithreadingThreshold = 8_000_000

    /// Whether OpenBLAS has been told to use one thread per call.
    nonisolated(unsafe) private static var singleThreaded = false

    /// Sets how many threads matrix products (and the pool's element-wise loops) use. Not thread-safe: call it
    /// before training, from one thread.
    public static func setThreads(_ count: Int) {
        ensureSingleThreadedLibrary()
        WorkerPool.setThreads(count)
        #if os(Linux) && canImport(CConvolution)
        anneal_convolution_set_threads(Int32(count))
        #endif
    }

    /// OpenBLAS's own threading off (its default is one thread per core): parallelism comes from the pool.
    @inline(__always)
    static func ensureSingleThreadedLibrary() {
        #if !canImport(Accelerate)
        if !singleThreaded {
            openblas_set_num_threads(1)
            // oneDNN's OpenMP runtime too (its default is one thread per core), until setThreads says more.
            #if os(Linux) && canImport(CConvolution)
            anneal_convolution_set_threads(Int32(WorkerPool.threads))
            #endif
            singleThreaded = true
        }
        #endif
    }

    /// The number of threads matrix products use.
    public static var threads: Int { WorkerPool.threads }

    /// The library's own description (OpenBLAS's build configuration), for benchmark reports.
    public static var configuration: String {
        #if canImport(Accelerate)
        return "Accelerate"
        #else
        return trimmed(String(cString: openblas_get_config()))
        #endif
    }

    /// The kernel family OpenBLAS chose for this CPU (or was told to use with OPENBLAS_CORETYPE), such as
    /// `Cooperlake`, `SkylakeX` or `Haswell`.
    public static var coreName: String {
        #if canImport(Accelerate)
        return "Accelerate"
        #else
        return trimmed(String(cString: openblas_get_corename()))
        #endif
    }

    /// The widest vector instruction set of an OpenBLAS x86-64 kernel family: 2 for AVX-512 (`SkylakeX`,
    /// `Cooperlake`, `SapphireRapids`), 1 for AVX2 (`Haswell`, `Zen`), 0 for older ones; nil when unknown.
    public static func vectorLevel(ofCore name: String) -> Int? {
        switch name.lowercased() {
        case "skylakex", "cooperlake", "sapphirerapids": return 2
        case "haswell", "zen", "excavator": return 1
        case "sandybridge", "bulldozer", "piledriver", "steamroller", "nehalem", "core2", "penryn", "dunnington",
             "atom", "prescott", "opteron", "opteron_sse3", "barcelona", "bobcat", "katmai", "coppermine", "northwood", "banias": return 0
        default: return nil
        }
    }

    /// When OPENBLAS_CORETYPE forces a kernel family narrower than this CPU supports, a sentence saying so (nil
    /// otherwise): OpenBLAS would pick a wider kernel by itself.
    public static var forcedNarrowerKernelWarning: String? {
        guard let forced = getenvString("OPENBLAS_CORETYPE"), !forced.isEmpty,
              let level = vectorLevel(ofCore: coreName) else { return nil }
        let highest = Int(anneal_kernel_highest_level())
        guard level < highest else { return nil }
        let names = ["SSE2", "AVX2", "AVX-512"]
        return "OPENBLAS_CORETYPE=\(forced) forces OpenBLAS's \(coreName) kernel (\(names[level])) on a CPU with \(names[highest]); "
            + "matrix products run slower than OpenBLAS's own choice (unset it: env -u OPENBLAS_CORETYPE)"
    }

    private static func trimmed(_ text: String) -> String {
        String(text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }

    private static func getenvString(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }

    /// Runs a row-major product C (m × n) = op(A)·op(B) in parts over the pool when it is large enough,
    /// calling `call(transposeA, transposeB, m, n, k, a, b, c)` with each part's shape and pointers.
    @inline(__always)
    static func split<Element>(_ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int,
                               _ a: UnsafePointer<Element>, _ lda: Int, _ b: UnsafePointer<Element>, _ ldb: Int,
                               _ c: UnsafeMutablePointer<Element>, _ ldc: Int,
                               _ call: (Int, Int, UnsafePointer<Element>, UnsafePointer<Element>, UnsafeMutablePointer<Element>) -> Void) {
        ensureSingleThreadedLibrary()
        let threads = WorkerPool.threads
        guard threads > 1, m * n * k >= multithreadingThreshold else { return call(m, n, a, b, c) }
        if n >= m {
            // Columns of C: each part multiplies op(A) by a block of op(B)'s columns.
            let width = ((n + threads - 1) / threads + 15) / 16 * 16
            WorkerPool.run(parts: (n + width - 1) / width) { part in
                let start = part * width, count = min(width, n - start)
                call(m, count, a, transposeB ? b + start * ldb : b + start, c + start)
            }
        } else {
            // Rows of C: each part multiplies a block of op(A)'s rows by op(B).
            let height = ((m + threads - 1) / threads + 15) / 16 * 16
            WorkerPool.run(parts: (m + height - 1) / height) { part in
                let start = part * height, count = min(height, m - start)
                call(count, n, transposeA ? a + start : a + start * lda, b, c + start * ldc)
            }
        }
    }

    @inline(__always)
    static func transpose(_ flag: Bool) -> CBLAS_TRANSPOSE { flag ? CblasTrans : CblasNoTrans }

    /// Row-major `C = alpha·op(A)·op(B) + beta·C` in single precision.
    static func sgemm(_ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                      _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                      _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        let started = anneal_product_timing_enabled() != 0 ? anneal_monotonic_nanoseconds() : 0
        split(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc) { m, n, a, b, c in
            cblas_sgemm(CblasRowMajor, transpose(transposeA), transpose(transposeB), Int32(m), Int32(n), Int32(k),
                        alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        }
        if started != 0 { anneal_product_timing_add(anneal_monotonic_nanoseconds() - started) }
    }

    /// Row-major `C = alpha·op(A)·op(B) + beta·C` in double precision.
    static func dgemm(_ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Double,
                      _ a: UnsafePointer<Double>, _ lda: Int, _ b: UnsafePointer<Double>, _ ldb: Int,
                      _ beta: Double, _ c: UnsafeMutablePointer<Double>, _ ldc: Int) {
        let started = anneal_product_timing_enabled() != 0 ? anneal_monotonic_nanoseconds() : 0
        split(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc) { m, n, a, b, c in
            cblas_dgemm(CblasRowMajor, transpose(transposeA), transpose(transposeB), Int32(m), Int32(n), Int32(k),
                        alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        }
        if started != 0 { anneal_product_timing_add(anneal_monotonic_nanoseconds() - started) }
    }
}
