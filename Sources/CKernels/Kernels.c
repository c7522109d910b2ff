// See include/CKernels.h. Written with clang's vector extensions: 16 floats per vector, which each compiled
// version lowers to one AVX-512 register, two AVX2 registers or four SSE registers. The arithmetic is the same
// in every version: contraction into fused multiply-adds is off, and nothing is reassociated.
//
// KernelBodies.h is included once per instruction set, each time with every function (helpers too) compiled
// for that set; the exported functions call the version chosen once, at load time, from the CPU's features.
#pragma STDC FP_CONTRACT OFF

#define _GNU_SOURCE

#include "CKernels.h"
#include <math.h>
#include <string.h>

// The helpers that take and return vectors are always inlined, so no vector crosses a call in the versions
// whose registers are narrower than 16 floats: the ABI note clang gives for them does not apply.
#pragma clang diagnostic ignored "-Wpsabi"

typedef float vf16 __attribute__((ext_vector_type(16), aligned(4)));
typedef int vi16 __attribute__((ext_vector_type(16), aligned(4)));
typedef float vf8 __attribute__((ext_vector_type(8), aligned(4)));
typedef double vd16 __attribute__((ext_vector_type(16), aligned(8)));

#define LOAD(p) (*(const vf16 *)(p))
#define STORE(p, v) (*(vf16 *)(p) = (v))
/// The constants of Tensors/VectorMath.swift, as the exact single-precision values Swift's literals give.
#define F(bits) (((union { unsigned u; float f; }){ .u = (bits) }).f)

#define SUFFIX(name) name##_baseline
#include "KernelBodies.h"
#undef SUFFIX

#if defined(__x86_64__) && defined(__clang__)
#define ANNEAL_DISPATCH 1
#pragma clang attribute push(__attribute__((target("avx2"))), apply_to = function)
#define SUFFIX(name) name##_avx2
#include "KernelBodies.h"
#undef SUFFIX
#pragma clang attribute pop

#pragma clang attribute push(__attribute__((target("avx512f"))), apply_to = function)
#define SUFFIX(name) name##_avx512
#include "KernelBodies.h"
#undef SUFFIX
#pragma clang attribute pop
#endif

/// 0: baseline, 1: AVX2, 2: AVX-512F; the level in use and the highest the CPU supports.
static int level = 0;
static int highest = 0;

#ifdef ANNEAL_DISPATCH
__attribute__((constructor)) static void choose_level(void) {
    __builtin_cpu_init();
    highest = __builtin_cpu_supports("avx512f") ? 2 : __builtin_cpu_supports("avx2") ? 1 : 0;
    level = highest;
}
#define DISPATCH(name, ...) \
    switch (level) { \
    case 2: return name##_avx512(__VA_ARGS__); \
    case 1: return name##_avx2(__VA_ARGS__); \
    default: return name##_baseline(__VA_ARGS__); \
    }
#else
#define DISPATCH(name, ...) return name##_baseline(__VA_ARGS__);
#endif

// Subnormal floats flushed to zero, as inputs and results, for the span of one kernel: x86's MXCSR FTZ (bit 15)
// and DAZ (bit 6), AArch64's FPCR.FZ (bit 24, both at once). The previous mode is restored after.
#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
typedef unsigned int FloatingPointMode;
static inline FloatingPointMode flush_subnormals_begin(void) {
    FloatingPointMode saved = _mm_getcsr();
    _mm_setcsr(saved | 0x8040u);
    return saved;
}
static inline void flush_subnormals_end(FloatingPointMode saved) { _mm_setcsr(saved); }
#elif defined(__aarch64__)
typedef unsigned long FloatingPointMode;
static inline FloatingPointMode flush_subnormals_begin(void) {
    FloatingPointMode saved;
    __asm__ volatile("mrs %0, fpcr" : "=r"(saved));
    __asm__ volatile("msr fpcr, %0" : : "r"(saved | (1ul << 24)));
    return saved;
}
static inline void flush_subnormals_end(FloatingPointMode saved) { __asm__ volatile("msr fpcr, %0" : : "r"(saved)); }
#else
typedef int FloatingPointMode;
static inline FloatingPointMode flush_subnormals_begin(void) { return 0; }
static inline void flush_subnormals_end(FloatingPointMode saved) { (void)saved; }
#endif

static void adam_at_level(float *value, const float *gradient, float *firstMoment, float *secondMoment, size_t count,
                          const AnnealAdamParameters *parameters) {
    DISPATCH(anneal_adam, value, gradient, firstMoment, secondMoment, count, parameters)
}

void anneal_adam(float *value, const float *gradient, float *firstMoment, float *secondMoment, size_t count,
                 const AnnealAdamParameters *parameters) {
    if (!parameters->flushSubnormals) {
        adam_at_level(value, gradient, firstMoment, secondMoment, count, parameters);
        return;
    }
    FloatingPointMode saved = flush_subnormals_begin();
    adam_at_level(value, gradient, firstMoment, secondMoment, count, parameters);
    flush_subnormals_end(saved);
}

int anneal_flushes_subnormals(void) {
#if defined(__x86_64__) || defined(__i386__)
    return (_mm_getcsr() & 0x8040u) != 0;
#elif defined(__aarch64__)
    unsigned long mode;
    __asm__ volatile("mrs %0, fpcr" : "=r"(mode));
    return (mode >> 24) & 1;
#else
    return 0;
#endif
}

double anneal_sum_of_squares(const float *x, size_t count) { DISPATCH(anneal_sum_of_squares, x, count) }

void anneal_scale(float *x, float factor, size_t count) { DISPATCH(anneal_scale, x, factor, count) }

void anneal_relu(const float *x, float *y, size_t count) { DISPATCH(anneal_relu, x, y, count) }

void anneal_broadcast_row(const float *row, float *y, size_t rows, size_t columns) {
    DISPATCH(anneal_broadcast_row, row, y, rows, columns)
}

void anneal_relu_backward(const float *activation, const float *dy, float *dz, size_t rows, size_t columns, float *biasGradient, int accumulate) {
    DISPATCH(anneal_relu_backward, activation, dy, dz, rows, columns, biasGradient, accumulate)
}

void anneal_column_sums(const float *x, size_t rows, size_t columns, float *out, int accumulate) {
    DISPATCH(anneal_column_sums, x, rows, columns, out, accumulate)
}

void anneal_binary_cross_entropy(const float *logits, const float *targets, size_t rows, size_t columns, float *out, float *sigmoid) {
    DISPATCH(anneal_binary_cross_entropy, logits, targets, rows, columns, out, sigmoid)
}

void anneal_binary_cross_entropy_backward(const float *sigmoid, const float *targets, const float *dy, size_t rows, size_t columns,
                                          float *dlogits, int accumulate) {
    DISPATCH(anneal_binary_cross_entropy_backward, sigmoid, targets, dy, rows, columns, dlogits, accumulate)
}

void anneal_sin_cos(double angle, double *sine, double *cosine) {
#if defined(__GLIBC__) || defined(__linux__)
    sincos(angle, sine, cosine);
#elif defined(__APPLE__)
    __sincos(angle, sine, cosine);
#else
    *sine = sin(angle);
    *cosine = cos(angle);
#endif
}

void anneal_categorical_cross_entropy(const float *logits, const int *labels, size_t rows, size_t columns, size_t groupSize,
                                      float *out, float *probabilities) {
    const size_t groups = columns / groupSize;
    for (size_t i = 0; i < rows; i++) {
        float sum = 0.0f;
        for (size_t g = 0; g < groups; g++) {
            const float *x = logits + i * columns + g * groupSize;
            float *p = probabilities + i * columns + g * groupSize;
            float maximum = x[0];
            for (size_t j = 1; j < groupSize; j++) if (x[j] > maximum) maximum = x[j];
            float total = 0.0f;
            for (size_t j = 0; j < groupSize; j++) {
                float e = expf(x[j] - maximum);
                p[j] = e;
                total += e;
            }
            float inverse = 1.0f / total;
            for (size_t j = 0; j < groupSize; j++) p[j] *= inverse;
            sum += (maximum + logf(total)) - x[labels[i * groups + g]];
        }
        out[i] = sum;
    }
}

void anneal_categorical_cross_entropy_backward(const float *probabilities, const int *labels, const float *dy, size_t rows,
                                               size_t columns, size_t groupSize, float *dlogits, int accumulate) {
    const size_t groups = columns / groupSize;
    for (size_t i = 0; i < rows; i++) {
        const float g = dy[i];
        const float *p = probabilities + i * columns;
        float *d = dlogits + i * columns;
        if (accumulate) for (size_t j = 0; j < columns; j++) d[j] += g * p[j];
        else for (size_t j = 0; j < columns; j++) d[j] = g * p[j];
        for (size_t group = 0; group < groups; group++) d[group * groupSize + labels[i * groups + group]] -= g;
    }
}

int anneal_kernel_level(void) { return level; }
int anneal_kernel_highest_level(void) { return highest; }
void anneal_set_kernel_level(int wanted) { level = wanted < 0 ? 0 : wanted > highest ? highest : wanted; }

const char *anneal_kernel_isa(void) {
#ifdef ANNEAL_DISPATCH
    return level == 2 ? "AVX-512" : level == 1 ? "AVX2" : "SSE2";
#elif defined(__aarch64__)
    return "NEON";
#else
    return "baseline";
#endif
}
