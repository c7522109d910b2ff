import CKernels

/// The threads that run a training step: the caller and `threads − 1` workers (CKernels' pool), shared by
/// matrix products (`BLAS` splits large ones into one part per thread, each an OpenBLAS call on one thread) and
/// element-wise loops (the optimiser's update, the gradient norm). OpenBLAS's own threading stays at one thread,
/// so the process never runs more threads than asked for: no oversubscription, and no OpenBLAS threads spinning
/// while the element-wise work needs the core.
///
/// Parts are fixed by the number of threads alone, and each part computes the same numbers whichever thread
/// runs it, so results depend on the thread count and never on scheduling.
public enum WorkerPool {
    /// The pool's threads, the caller included (1 until `setThreads` says otherwise).
    public static var threads: Int { Int(anneal_pool_threads()) }

    /// Makes the pool `count` threads strong (at least 1). Call it before training, from one thread.
    public static func setThreads(_ count: Int) {
        anneal_pool_set_threads(Int32(max(1, min(count, 64))))
    }

    /// Runs `body(part)` for every part in 0..<parts, on the pool's threads, and returns when all have run.
    /// Parts must be independent. With one thread, or inside another parallel job, they run here in order.
    public static func run(parts: Int, _ body: (Int) -> Void) {
        guard parts > 1, threads > 1 else {
            for part in 0..<max(0, parts) { body(part) }
            return
        }
        withoutActuallyEscaping(body) { task in
            var task = task
            withUnsafeMutablePointer(to: &task) { pointer in
                anneal_pool_run(parts, { context, part in
                    context!.assumingMemoryBound(to: ((Int) -> Void).self).pointee(Int(part))
                }, pointer)
            }
        }
    }
}
