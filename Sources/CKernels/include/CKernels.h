// Single-precision element-wise kernels of the training step, in C so that clang vectorises them (Swift lowers
// SIMD square roots, minima and maxima lane by lane), and, on x86-64 Linux, compiled for AVX-512, AVX2 and the
// x86-64 baseline with the best chosen when the program starts (function multi-versioning).
//
// Every kernel computes exactly the same floating-point operations in the same order in every version (no
// fused multiply-add: contraction is off), so results never depend on the CPU, and match the Swift kernels
// they replace bit for bit.
//
// (x86-64 Linux and macOS alike: the versions are chosen by a check of the CPU at load time, not by ifunc.)
#ifndef ANNEAL_CKERNELS_H
#define ANNEAL_CKERNELS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Adam's (and AdamW's) hyperparameters for one step, already combined as PyTorch's single-tensor Adam uses them.
typedef struct {
    /// Multiplies every gradient before use: the clipping coefficient, or 1.
    float gradientScale;
    float oneMinusBeta1;
    float beta2;
    float oneMinusBeta2;
    /// lr / (1 − β₁ᵗ).
    float stepSize;
    /// 1 / √(1 − β₂ᵗ).
    float inverseCorrection2;
    float epsilon;
    /// 0: none; 1: L2 (decay·p added to the gradient, Adam); 2: decoupled (p scaled by shrink first, AdamW).
    int weightDecayMode;
    float decay;
    float shrink;
    /// 1: flush subnormals to zero during the step (see anneal_adam); AdamStep sets it only when ε is large
    /// enough for that to leave the parameters unchanged.
    int flushSubnormals;
} AnnealAdamParameters;

/// One Adam step over `count` values: g = gradientScale·gradient (+ decay·p); m += (1 − β₁)(g − m);
/// v = β₂v + (1 − β₂)g²; p −= stepSize·m / (√v·inverseCorrection2 + ε). `gradient` NULL means zeros.
/// With `flushSubnormals`, subnormal inputs and results are flushed to zero during the step (x86 FTZ and DAZ,
/// AArch64 FZ; XLA's CPU client runs every execution so, in tsl::port::ScopedFlushDenormal, and JAX calls it
/// intended in jax-ml/jax#16200): a second moment decaying through the subnormal range
/// (0.999ᵗ takes some 16,000 steps to cross it) made every operation on it a microcode assist, and Adam 3×
/// slower inside the mlp-784 step (1.7 against 0.5 ms). AdamStep asks for it only when ε ≥ 2⁻³⁷·c (c =
/// inverseCorrection2; ε = 1e-8 with β₂ = 0.999 qualifies from the first step): then a subnormal v, with
/// √v < 2⁻⁶³, adds less than half an ulp to √v·c + ε, and a subnormal change in m moves p by less than
/// stepSize·2⁻¹²⁵/ε, under half an ulp of any |p| above about 1e-24. So the parameters are those of the
/// unflushed rule (tested; every example run's metrics are unchanged bit for bit) unless they are themselves
/// that close to zero, while the moments hold 0 instead of subnormals. The caller's mode is restored after.
void anneal_adam(float *value, const float *gradient, float *firstMoment, float *secondMoment, size_t count,
                 const AnnealAdamParameters *parameters);

/// 1 when the calling thread's floating-point mode flushes subnormals (x86 FTZ or DAZ, AArch64 FZ), else 0.
int anneal_flushes_subnormals(void);

/// Σ x² in double precision: element i goes to accumulator i mod 16, the 16 accumulators are added pairwise.
double anneal_sum_of_squares(const float *x, size_t count);

/// x[i] *= factor.
void anneal_scale(float *x, float factor, size_t count);

/// y = max(x, 0) with NaN kept (y may be x).
void anneal_relu(const float *x, float *y, size_t count);

/// y[i, j] = row[j] for every row i (a linear layer's bias, written before its gemm adds the product).
void anneal_broadcast_row(const float *row, float *y, size_t rows, size_t columns);

/// ReLU's backward from its output `activation` (rows × columns): dz[i] = activation[i] > 0 ? dy[i] : 0 (dz may
/// be dy); with `biasGradient`, also its column sums: biasGradient[j] = (accumulate ? biasGradient[j] : 0) + Σᵢ dz[i, j],
/// added row after row.
void anneal_relu_backward(const float *activation, const float *dy, float *dz, size_t rows, size_t columns, float *biasGradient, int accumulate);

/// out[j] = (accumulate ? out[j] : 0) + Σᵢ x[i, j], added row after row.
void anneal_column_sums(const float *x, size_t rows, size_t columns, float *out, int accumulate);

/// Bernoulli negative log-likelihood with logits, per row: out[i] = Σⱼ max(l, 0) − l·t + log1p(e^(−|l|)), and
/// sigmoid = σ(l). Eight partial sums per row (element j of a full block of 8 goes to sum j mod 8), added in
/// lane order, then the row's last (columns mod 8) elements one by one.
void anneal_binary_cross_entropy(const float *logits, const float *targets, size_t rows, size_t columns, float *out, float *sigmoid);

/// dlogits (+)= dy[i]·(σ − t).
void anneal_binary_cross_entropy_backward(const float *sigmoid, const float *targets, const float *dy, size_t rows, size_t columns,
                                          float *dlogits, int accumulate);

/// sin and cos of `angle` in one call (glibc's sincos computes both with the routines of sin and cos, so the
/// results are theirs; elsewhere the two calls).
void anneal_sin_cos(double angle, double *sine, double *cosine);

/// Categorical negative log-likelihood over groups of `groupSize` columns, per row, scalar and with libm's expf
/// and logf (the exact operations of the portable Swift rule, without its per-element checks): per group,
/// m = the first maximum, p = e^(x − m) then p·(1/Σ e^(x − m)), out[i] = Σ_g ((m + log Σ) − x[label]) in group
/// order. `labels` is rows × (columns / groupSize), each in 0..<groupSize.
void anneal_categorical_cross_entropy(const float *logits, const int *labels, size_t rows, size_t columns, size_t groupSize,
                                      float *out, float *probabilities);

/// dlogits (+)= dy[i]·p, then dlogits[label] −= dy[i] for each group.
void anneal_categorical_cross_entropy_backward(const float *probabilities, const int *labels, const float *dy, size_t rows,
                                               size_t columns, size_t groupSize, float *dlogits, int accumulate);

/// The instruction set the kernels run with on this CPU: "AVX-512", "AVX2" or "SSE2" on x86-64.
const char *anneal_kernel_isa(void);

/// The instruction-set level in use (0: baseline, 1: AVX2, 2: AVX-512) and the highest this CPU supports.
int anneal_kernel_level(void);
int anneal_kernel_highest_level(void);
/// Runs the kernels at `level` from now on, capped at the highest supported (tests compare the versions).
void anneal_set_kernel_level(int level);

/// Time in matrix products (ProductTiming.c), for `anneal bench`: while enabled, BLAS.sgemm and dgemm add the
/// monotonic nanoseconds each call took, on the calling thread, and count the calls.
void anneal_product_timing_enable(int on);
int anneal_product_timing_enabled(void);
unsigned long long anneal_monotonic_nanoseconds(void);
void anneal_product_timing_add(unsigned long long nanoseconds);
unsigned long long anneal_product_nanoseconds(void);
unsigned long long anneal_product_calls(void);

/// A part of a parallel job: `part` runs in 0..<parts, each exactly once, on some thread of the pool.
typedef void (*anneal_pool_task)(void *context, size_t part);

/// Makes the pool `threads` threads strong: the calling thread and threads − 1 workers (none for 1). Matrix
/// products and element-wise loops share these threads, so the process never runs more than `threads` at once.
void anneal_pool_set_threads(int threads);
/// The pool's threads, the caller included.
int anneal_pool_threads(void);
/// Runs parts 0..<parts of `task`, the caller taking parts too, and returns when all have finished. While the
/// pool runs one job, a second (nested, or from another thread) runs its parts on its own thread, in order.
void anneal_pool_run(size_t parts, anneal_pool_task task, void *context);

#ifdef __cplusplus
}
#endif

#endif
