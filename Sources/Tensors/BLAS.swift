#if canImport(Accelerate)
import Accelerate
#else
import COpenBLAS
#endif

/// The BLAS library behind matrix multiplication: OpenBLAS on Linux, Accelerate on macOS.
public enum BLAS {
    /// Threads for large products, as set by `setThreads`.
    nonisolated(unsafe) private static var configuredThreads: Int32 = 1
    /// Threads OpenBLAS is currently set to use.
    nonisolated(unsafe) private static var activeThreads: Int32 = 0

    /// Products with fewer multiply-adds than this run on one thread: splitting them costs more in
    /// synchronisation than it gains (measured on the ternary benchmark, whose largest product is
    /// 256 × 128 × 128 ≈ 4.2 M, and which ran slower on two threads than on one).
    public static let multithreadingThreshold = 8_000_000

    /// Sets how many threads BLAS may use for large products (OpenBLAS's own setting; Accelerate manages
    /// its threads itself). Not thread-safe: call it before training, from one thread.
    public static func setThreads(_ count: Int) {
        configuredThreads = Int32(max(1, count))
        #if !canImport(Accelerate)
        openblas_set_num_threads(configuredThreads)
        activeThreads = configuredThreads
        #endif
    }

    /// Chooses one thread or the configured threads for a product of `multiplyAdds`.
    @inline(__always)
    static func prepare(multiplyAdds: Int) {
        #if !canImport(Accelerate)
        let wanted: Int32 = multiplyAdds >= multithreadingThreshold ? configuredThreads : 1
        if wanted != activeThreads {
            openblas_set_num_threads(wanted)
            activeThreads = wanted
        }
        #endif
    }

    /// The number of threads BLAS uses for large products.
    public static var threads: Int { Int(configuredThreads) }

    /// The library's own description (OpenBLAS's build configuration), for benchmark reports.
    public static var configuration: String {
        #if canImport(Accelerate)
        return "Accelerate"
        #else
        return String(cString: openblas_get_config())
        #endif
    }

    @inline(__always)
    static func transpose(_ flag: Bool) -> CBLAS_TRANSPOSE { flag ? CblasTrans : CblasNoTrans }

    /// Row-major `C = alpha·op(A)·op(B) + beta·C` in single precision.
    static func sgemm(_ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                      _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                      _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        prepare(multiplyAdds: m * n * k)
        cblas_sgemm(CblasRowMajor, transpose(transposeA), transpose(transposeB), Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Row-major `C = alpha·op(A)·op(B) + beta·C` in double precision.
    static func dgemm(_ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Double,
                      _ a: UnsafePointer<Double>, _ lda: Int, _ b: UnsafePointer<Double>, _ ldb: Int,
                      _ beta: Double, _ c: UnsafeMutablePointer<Double>, _ ldc: Int) {
        prepare(multiplyAdds: m * n * k)
        cblas_dgemm(CblasRowMajor, transpose(transposeA), transpose(transposeB), Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
